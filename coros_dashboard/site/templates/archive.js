/* The archive: every activity from one column-oriented JSON, filtered, sorted and paged here.
   The filters live in the URL (?sport=run&year=2025), so a link or the back button restores them.
   Every text is set with textContent: names are never read as markup. */
(function () {
  "use strict";
  var PAGE = 50, DAY = 86400000;
  var data = JSON.parse(document.getElementById("archive-data").textContent);
  var form = document.getElementById("filters"), list = document.querySelector("#list ol.activities");
  var count = document.getElementById("count"), more = document.getElementById("more");
  var n = data.page.length, first = Date.parse(data.start);
  var WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var DAY_NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
  var MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december"];
  var iso = [], year = [], month = [], weekday = [], lower = [];
  for (var i = 0; i < n; i++) {  // once per load: a date and a searchable text per activity
    var d = new Date(first + data.day[i] * DAY);
    iso.push(d.toISOString().slice(0, 10));
    year.push(d.getUTCFullYear()); month.push(d.getUTCMonth() + 1); weekday.push(WEEKDAYS[d.getUTCDay()]);
    // "long run", "2026-03", "april", "apr" or "sunday" finds it
    lower.push(String(data.name[i]).toLowerCase() + "\n" + iso[i] + "\n" + MONTH_NAMES[d.getUTCMonth()] + "\n" + DAY_NAMES[d.getUTCDay()]);
  }
  var folded = document.getElementById("more-filters");
  var COUNT = new Intl.NumberFormat("en-GB");  // 1,285 as the page writes it
  var FIELDS = ["sport", "year", "month", "q", "min", "max", "sort", "day"];
  var perUnit = data.unit_m;  // metres in one km or mile
  var shown = [], drawn = 0;

  function params() {
    var p = {};
    FIELDS.forEach(function (f) { var v = form.elements[f].value.trim(); if (v) { p[f] = v; } });
    return p;
  }
  function matches(p) {
    var view = p.sport ? data.views.indexOf(p.sport) : -1, y = +p.year || 0, m = +p.month || 0;
    var q = (p.q || "").toLowerCase(), lo = p.min ? +p.min * perUnit : -1, hi = p.max ? +p.max * perUnit : Infinity;
    var out = [];
    for (var i = 0; i < n; i++) {
      if (view >= 0 && data.view[i] !== view) { continue; }
      if (y && year[i] !== y) { continue; }
      if (m && month[i] !== m) { continue; }
      if (p.day && iso[i] !== p.day) { continue; }
      if ((p.min || p.max) && (data.m[i] < lo || data.m[i] > hi)) { continue; }
      if (q && lower[i].indexOf(q) < 0) { continue; }
      out.push(i);
    }
    var key = { dist: function (i) { return -data.m[i]; }, time: function (i) { return -data.s[i]; },
      pace: function (i) { return data.m[i] ? data.s[i] / data.m[i] : Infinity; }, old: function (i) { return -i; } }[p.sort];
    if (key) {
      var keys = {};
      out.forEach(function (i) { keys[i] = key(i); });
      out.sort(function (a, b) { return keys[a] - keys[b] || a - b; });
    }
    return out;
  }
  function span(cls, text, k) {
    var s = document.createElement("span");
    s.className = cls; s.textContent = text;
    if (k) { s.dataset.k = k; }
    return s;
  }
  function row(i) {
    var li = document.createElement("li"), a = document.createElement("a"), b = document.createElement("b"), small = document.createElement("small");
    a.className = "name"; a.href = data.page[i] + ".html";
    b.textContent = data.name[i]; small.textContent = data.sport[i];
    a.append(b, " ", small);
    li.append(span("date", weekday[i] + " " + iso[i]), a, span("num", data.distance[i], "Distance"), span("num", data.time[i], "Time"),
      span("num", data.pace[i], data.views[data.view[i]] === "ride" ? "Speed" : "Pace"), span("num", data.load[i], "Load"), span("num", data.hr[i], "HR"));
    return li;
  }
  function drawMore() {
    var part = document.createDocumentFragment(), end = Math.min(shown.length, drawn + PAGE);
    for (; drawn < end; drawn++) { part.appendChild(row(shown[drawn])); }
    list.appendChild(part);
    count.textContent = shown.length ? "Showing " + COUNT.format(drawn) + " of " + COUNT.format(shown.length) + " activit" + (shown.length === 1 ? "y" : "ies") + "." : "No activity matches: clear a filter.";
    more.hidden = drawn >= shown.length;
  }
  function apply(p) {
    shown = matches(p); drawn = 0;
    list.querySelectorAll("li:not(.head)").forEach(function (li) { li.remove(); });
    drawMore();
    var dayNote = form.querySelector(".day-filter");
    dayNote.hidden = !p.day;
    if (p.day) { dayNote.firstChild.textContent = "Only " + p.day + "."; }
    var query = FIELDS.filter(function (f) { return p[f]; }).map(function (f) { return f + "=" + encodeURIComponent(p[f]); }).join("&");
    history.replaceState(null, "", query ? "?" + query : location.pathname);
    return shown.length;
  }
  if (!list) { return; }
  var start = new URLSearchParams(location.search);
  FIELDS.forEach(function (f) { if (start.get(f)) { form.elements[f].value = start.get(f); } });
  form.hidden = false;
  // on a phone the filters fold behind one control, open when a link set one of them
  folded.open = matchMedia("(min-width: 601px)").matches ||
    ["sport", "year", "month", "min", "max", "sort"].some(function (f) { return start.get(f); });
  form.addEventListener("input", function () { apply(params()); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.elements["clear-day"].addEventListener("click", function () { form.elements.day.value = ""; apply(params()); });
  more.addEventListener("click", drawMore);
  apply(params());
  window.archiveFilter = function (p) {  // the benchmark's entry: set the filters, answer the count
    FIELDS.forEach(function (f) { form.elements[f].value = p[f] || ""; });
    return apply(params());
  };
})();
