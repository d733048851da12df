/* The dashboard page: draws the Plotly figures (on-screen first, the rest when idle) in the light or
   dark template, switches sport views, moves time windows with the range buttons, keeps touch
   screens scrolling, and draws the training calendar. Everything it shows was prepared at build
   time: the opening view's figures in #page-data, the rest (folded charts, other sport views, the
   calendar's days) in one content-hashed file fetched after the first screen is drawn, from the
   service worker's cache when offline. An activity page's traces share one distance column, x. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("page-data").textContent);
  var dark = window.matchMedia("(prefers-color-scheme: dark)");
  var touch = window.matchMedia("(pointer: coarse)").matches;
  var narrow = window.matchMedia("(max-width: 600px)");
  var config = { displayModeBar: false, responsive: true, displaylogo: false, scrollZoom: false };
  var charts = Array.prototype.slice.call(document.querySelectorAll(".chart[id]"));
  var DAY = 86400000;

  function view() { return document.body.dataset.view; }

  var later = null;  // the page's second half: fetched once, when first needed or when idle
  function loadLater() {
    if (!data.later) { return Promise.resolve(); }
    later = later || fetch(data.later).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (more) {
      Object.keys(more.figures).forEach(function (id) {
        data.figures[id] = Object.assign(data.figures[id] || {}, more.figures[id]);
      });
      ["activities", "plan", "plan_end"].forEach(function (key) { data[key] = more[key]; });
      delete data.later;
      charts.forEach(function (el) { if (el.markOpening) { el.markOpening(); delete el.markOpening; } });
    }).catch(function (error) { later = null; throw error; });  // offline: tried again when next needed
    return later;
  }

  function figureFor(el) {
    var byView = data.figures[el.id] || {};
    return ("perView" in el.dataset ? byView[view()] : byView.all) || null;
  }

  function layoutFor(el, fig) {
    var layout = Object.assign({}, fig.layout, { template: data.templates[dark.matches ? "dark" : "light"] });
    if (el.dataset.range) { layout.xaxis = Object.assign({}, layout.xaxis, { range: JSON.parse(el.dataset.range) }); }
    if (narrow.matches) { layout.legend = Object.assign({}, layout.legend, { font: { size: 12 } }); }  // no chart text under 12 px
    if (touch) {  // a swipe that starts on a chart scrolls the page: no drag-zoom, no pan
      layout.dragmode = false;
      Object.keys(layout).forEach(function (key) {
        if (/^[xy]axis\d*$/.test(key)) { layout[key] = Object.assign({}, layout[key], { fixedrange: true }); }
      });
      layout.yaxis = Object.assign({ fixedrange: true }, layout.yaxis);
      layout.xaxis = Object.assign({ fixedrange: true }, layout.xaxis);
    }
    return layout;
  }

  function draw(el) {  // one drawing of a chart at a time: a view switch mid-draw waits its turn
    el.dataset.state = el.dataset.state || "queued";
    el.queue = (el.queue || Promise.resolve())
      .then(function () { return figureFor(el) ? null : loadLater(); })
      .then(function () { return drawNow(el); })
      .catch(function () { el.dataset.state = "failed"; el.queue = null; });  // see "online"
    return el.queue;
  }

  function drawNow(el) {
    if (!window.Plotly) { return Promise.reject(new Error("no plotly.js")); }  // its still stays
    var fig = figureFor(el);
    var empty = el.parentNode.querySelector(".view-empty");
    if (empty) { empty.hidden = !!fig; }
    el.hidden = !fig;
    if (!fig) { el.dataset.state = "drawn"; return Promise.resolve(); }
    if (fig.layout.height) { el.style.height = fig.layout.height + "px"; }
    el.dataset.state = "drawing";
    el.dataset.drawnView = view();
    var still = el.querySelector(".still");
    if (still) { still.remove(); }
    var traces = data.x ? fig.data.map(function (t) { return t.x ? t : Object.assign({ x: data.x }, t); }) : fig.data;
    return Plotly.react(el, traces, layoutFor(el, fig), config).then(function () {
      el.dataset.state = "drawn";
      el.dataset.drawnAt = String(Math.round(performance.now()));
      if (touch) { el.querySelectorAll(".nsewdrag, .drag").forEach(function (d) { d.style.touchAction = "pan-y"; }); }
      if (!el.hoverGuarded) { el.hoverGuarded = true; el.on("plotly_hover", function (event) { sameDayOnly(el, event); }); }
    });
  }

  // A unified label is one day's: Plotly fills a series' gap (the model's warm-up, a missed
  // night) with its nearest value up to 20 px away. That value is another day's: it reads "–".
  function sameDayOnly(el, event) {  // ties go to the first point: Plotly's nearest
    var count = {};
    event.points.forEach(function (p) { count[p.x] = (count[p.x] || 0) + 1; });
    var day = Object.keys(count).sort(function (a, b) { return count[b] - count[a]; })[0];
    var borrowed = event.points.filter(function (p) { return p.x !== day; }).map(function (p) { return p.data.name + ":"; });
    if (!borrowed.length) { return; }
    el.querySelectorAll(".hoverlayer .legend .legendtext").forEach(function (label) {
      var name = borrowed.filter(function (b) { return label.textContent.indexOf(b) === 0; })[0];
      if (name) { label.textContent = name + " –"; }
    });
  }

  // idle time, but never starved: a page that paints nothing gets no idle periods in some browsers
  var idle = window.requestIdleCallback ? function (fn) { return requestIdleCallback(fn, { timeout: 300 }); }
    : function (fn) { return setTimeout(fn, 16); };
  function folded(el) { return !!el.closest("details:not([open])"); }  // drawn when its "more" opens
  function drawRest() {
    var next = charts.filter(function (el) { return !el.dataset.state && !folded(el); })[0];
    if (next) { draw(next).then(function () { idle(drawRest); }); }
  }
  function start() {
    var onScreen = charts.filter(function (el) { return !folded(el) && el.getBoundingClientRect().top < window.innerHeight + 100; });
    onScreen.reduce(function (done, el) { return done.then(function () { return draw(el); }); }, Promise.resolve())
      .then(function () { idle(drawRest); idle(function () { loadLater().then(drawCalendar, function () {}); }); });
    if ("IntersectionObserver" in window) {
      var observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) { observer.unobserve(entry.target); if (!entry.target.dataset.state) { draw(entry.target); } }
        });
      }, { rootMargin: "300px" });
      charts.forEach(function (el) { observer.observe(el); });
    }
  }

  document.querySelectorAll("details.more").forEach(function (more) {
    more.addEventListener("toggle", function () { if (more.open) { idle(drawRest); } });
  });

  // --- range buttons: every time chart opens on its stated window and moves from there
  function shift(end, days) { return new Date(Date.parse(end) - days * DAY).toISOString().slice(0, 10); }
  var SPANS = { "1M": 31, "3M": 92, "1Y": 366 };
  function windowEnd(el, group) {  // where this view's chart opened: today, or its last data
    var fig = figureFor(el);
    return fig && fig.layout.xaxis && fig.layout.xaxis.range ? fig.layout.xaxis.range[1] : group.dataset.end;
  }
  function markOpening(group, el) {  // the button of the window the chart opens on is pressed
    var initial = figureFor(el) && figureFor(el).layout.xaxis && figureFor(el).layout.xaxis.range;
    group.querySelectorAll("button").forEach(function (button) {
      var span = button.dataset.range;
      var opening = span === "All" ? null : [shift(windowEnd(el, group), SPANS[span]), windowEnd(el, group)];
      if (initial && opening && opening[0] === initial[0] && opening[1] === initial[1]) { button.setAttribute("aria-pressed", "true"); }
      if (initial && span === "All" && Date.parse(initial[1]) - Date.parse(initial[0]) > 370 * DAY) { button.setAttribute("aria-pressed", "true"); }
    });
  }
  document.querySelectorAll(".ranges[data-for]").forEach(function (group) {
    var el = document.getElementById(group.dataset.for);
    if (figureFor(el)) { markOpening(group, el); } else { el.markOpening = function () { markOpening(group, el); }; }
    group.querySelectorAll("button").forEach(function (button) {
      var span = button.dataset.range;
      button.addEventListener("click", function () {
        var end = windowEnd(el, group);
        var range = span === "All" ? null : [shift(end, SPANS[span]), end];
        group.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
        var words = document.querySelector("#" + el.id + "-title .window");  // the title names the window shown
        if (words) { words.textContent = "(" + button.dataset.words + ")"; }
        if (range) { el.dataset.range = JSON.stringify(range); } else { delete el.dataset.range; }
        if (el.dataset.state === "drawn" && !el.hidden) {
          Plotly.relayout(el, range ? { "xaxis.range": range } : { "xaxis.autorange": true });
        }
      });
    });
  });

  // --- sport views
  document.querySelectorAll("[data-view-button]").forEach(function (button) {
    button.setAttribute("aria-pressed", String(button.dataset.viewButton === view()));
    button.addEventListener("click", function () {
      document.body.dataset.view = button.dataset.viewButton;
      document.querySelectorAll("[data-view-button]").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b === button));
      });
      charts.forEach(function (el) {
        if ("perView" in el.dataset && el.dataset.state) { draw(el); }
      });
      loadLater().then(drawCalendar, function () {});
    });
  });

  // --- the training calendar: weeks as columns, weekdays as rows, one view's days at a time
  var calendar = document.getElementById("calendar");
  var calendarYear = "recent";
  function planOn(key, t, d, today) {  // the plan's word for a day, within the sport view shown
    var plan = data.plan || {}, items = (plan.days || {})[key] || [];
    var mine = items.filter(function (w) { return view() === "all" || w[0] === view(); });
    if (mine.length) {
      var done = mine.every(function (w) { return w[2]; });
      var text = mine.map(function (w) { return w[1]; }).join("; ");
      return { state: done ? "done" : t < today ? "missed" : "planned", text: text };
    }
    if (d && plan.first !== undefined && key >= plan.first) { return { state: "unplanned", text: "" }; }
    return null;
  }
  function dayPhrase(date, t, d, p, today, acts) {  // a day's name, one phrase
    if (d) {
      var done = d.acts.map(function (i) {
        return acts.names[acts.name[i]] + (acts.dist[i] ? " " + acts.dist[i].toFixed(1) + " " + data.units.distance : " " + Math.floor(acts.min[i] / 60) + ":" + String(acts.min[i] % 60).padStart(2, "0") + " h:mm");
      }).join("; ");
      var plan = !p ? "" : p.state === "done" ? " — as planned" : p.state === "unplanned" ? " — not in the plan"
        : " — planned " + p.text + (p.state === "missed" ? ", missed" : "");
      return date + ": " + done + plan;
    }
    if (p && p.state === "missed") { return date + ": planned " + p.text + " — missed"; }
    if (p) { return date + ": planned: " + p.text; }
    return date + (t > today ? ": nothing planned" : t === today ? ": nothing done yet" : ": rest day");
  }
  function dayTotals() {
    var acts = data.activities, index = data.views.indexOf(view()), out = {};
    for (var i = 0; i < acts.day.length; i++) {
      if (view() !== "all" && acts.view[i] !== index) { continue; }
      var d = out[acts.day[i]] || (out[acts.day[i]] = { n: 0, dist: 0, min: 0, load: 0, acts: [] });
      d.n += 1; d.dist += acts.dist[i]; d.min += acts.min[i]; d.load += acts.load[i]; d.acts.push(i);
    }
    return out;
  }
  function iso(t) { return new Date(t).toISOString().slice(0, 10); }
  function drawCalendar() {
    if (!calendar) { return; }
    var acts = data.activities, totals = dayTotals();
    var first = Date.parse(acts.start), today = Date.parse(data.today);
    var measure = ["run", "ride", "swim", "walk"].indexOf(view()) >= 0 ? "dist" : "load";
    var values = Object.keys(totals).map(function (k) { return totals[k][measure]; }).filter(function (v) { return v > 0; }).sort(function (a, b) { return a - b; });
    var q = function (p) { return values.length ? values[Math.min(values.length - 1, Math.floor(p * values.length))] : 1; };
    var cuts = [q(0.25), q(0.5), q(0.75)];
    var end = calendarYear === "recent" ? Math.max(today, data.plan_end ? Date.parse(data.plan_end) : today)
      : Date.parse(calendarYear + "-12-31");  // this week's planned days too
    var begin = calendarYear === "recent" ? end - 370 * DAY : Date.parse(calendarYear + "-01-01");
    var startDay = begin - ((new Date(begin).getUTCDay() + 6) % 7) * DAY;  // back to Monday
    var weeks = Math.ceil((end - startDay + DAY) / (7 * DAY));
    var grid = document.createElement("div");
    grid.className = "cal";
    grid.style.setProperty("--weeks", weeks);
    ["Mon", "", "Wed", "", "Fri", "", "Sun"].forEach(function (name, row) {
      var label = document.createElement("span");
      label.className = "w"; label.textContent = name; label.style.gridRow = String(row + 2);
      grid.appendChild(label);
    });
    var lastMonth = -1;
    for (var w = 0; w < weeks; w++) {
      var monday = new Date(startDay + w * 7 * DAY);
      if (monday.getUTCMonth() !== lastMonth && monday.getUTCDate() <= 7) {
        var month = document.createElement("span");
        month.className = "m"; month.style.gridColumn = String(w + 2);
        month.textContent = monday.toLocaleDateString("en", { month: "short", timeZone: "UTC" });
        grid.appendChild(month);
        lastMonth = monday.getUTCMonth();
      }
      for (var r = 0; r < 7; r++) {
        var t = startDay + (w * 7 + r) * DAY;
        if (t < begin || t > end) { continue; }
        var key = Math.round((t - first) / DAY), d = totals[key];
        // a day with activities is a link: to the activity, or to the archive at that day
        var cell = document.createElement(d ? "a" : "i");
        cell.style.gridColumn = String(w + 2); cell.style.gridRow = String(r + 2);
        var v = d ? d[measure] : 0;
        var level = v <= 0 ? 0 : v <= cuts[0] ? 1 : v <= cuts[1] ? 2 : v <= cuts[2] ? 3 : 4;
        if (level) { cell.className = "l" + level; }
        var date = new Date(t).toLocaleDateString("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).replace(/,/g, "");
        var planned = planOn(key, t, d, today);
        cell.title = dayPhrase(date, t, d, planned, today, acts);
        if (d) {
          cell.href = d.n === 1 ? "activities/" + acts.page[d.acts[0]] + ".html"
            : "activities/index.html?day=" + iso(t) + (view() === "all" ? "" : "&sport=" + view());
        } else {
          cell.setAttribute("role", "img");
        }
        if (planned) { cell.classList.add("plan-" + planned.state); }  // the plan's mark: an outline
        cell.setAttribute("aria-label", cell.title);
        cell.tabIndex = -1;
        cell.dataset.date = iso(t);
        grid.appendChild(cell);
      }
    }
    var legend = document.getElementById("calendar-legend");
    legend.replaceChildren();
    var less = document.createElement("span");
    less.textContent = "Less";
    legend.appendChild(less);
    [0, 1, 2, 3, 4].forEach(function (l) { var i = document.createElement("i"); i.style.background = "var(--ramp" + l + ")"; legend.appendChild(i); });
    var more = document.createElement("span");
    more.textContent = "More: shade = " + (measure === "dist" ? "distance (" + data.units.distance + ")" : "training load") +
      (view() === "all" ? ", all sports" : "") + (data.plan && data.plan.days ?
      ". Outline: planned (solid: done, dashed: missed, dotted: not in the plan)" : "");
    legend.appendChild(more);
    calendar.replaceChildren(grid);
    calendar.scrollLeft = calendar.scrollWidth;
    var info = document.querySelector(".calendar-info");
    var days = Array.prototype.slice.call(grid.querySelectorAll("[data-date]"));
    var todayCell = grid.querySelector('[data-date="' + data.today + '"]');  // one stop in the tab order: arrows move
    if (days.length) { (todayCell || days[days.length - 1]).tabIndex = 0; }
    grid.addEventListener("focusin", function (event) {  // what a day holds, also for sighted keyboard users
      if (event.target.dataset.date) { info.textContent = event.target.title; }
    });
    var STEPS = { ArrowLeft: -7, ArrowRight: 7, ArrowUp: -1, ArrowDown: 1 };
    grid.addEventListener("keydown", function (event) {  // Enter on a day with activities follows its link
      var at = days.indexOf(event.target);
      if (at < 0) { return; }
      var to = event.key in STEPS ? at + STEPS[event.key] : event.key === "Home" ? 0 : event.key === "End" ? days.length - 1 : null;
      if (to === null) { return; }
      event.preventDefault();
      to = Math.max(0, Math.min(days.length - 1, to));
      event.target.tabIndex = -1;
      days[to].tabIndex = 0;
      days[to].focus();
    });
    var years = document.querySelector(".calendar-years");
    if (!years.childElementCount) {
      var firstYear = new Date(first).getUTCFullYear(), lastYear = new Date(today).getUTCFullYear();
      var choices = ["recent"];
      for (var y = lastYear; y >= firstYear; y--) { choices.push(String(y)); }
      choices.forEach(function (choice) {
        var b = document.createElement("button");
        b.type = "button"; b.textContent = choice === "recent" ? "13 months" : choice;
        b.setAttribute("aria-pressed", String(choice === calendarYear));
        b.addEventListener("click", function () {
          calendarYear = choice;
          years.querySelectorAll("button").forEach(function (x) { x.setAttribute("aria-pressed", String(x === b)); });
          drawCalendar();
        });
        years.appendChild(b);
      });
    }
  }

  // a chart that could not be drawn (no plotly.js, or offline before the page's second half
  // came) waits for the network, or for a tap that needs it: never a retry loop
  window.addEventListener("online", function () {
    charts.forEach(function (el) { if (el.dataset.state === "failed") { delete el.dataset.state; } });
    idle(drawRest);
  });

  dark.addEventListener("change", function () {
    charts.forEach(function (el) { if (el.dataset.state === "drawn") { draw(el); } });
  });
  start();
})();
