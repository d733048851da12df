/* Draws the dashboard's Plotly figures: on-screen charts first, the rest when the browser is idle,
   and redraws in the matching theme when the system switches between light and dark. */
(function () {
  "use strict";
  var figures = JSON.parse(document.getElementById("figures").textContent);
  var themes = JSON.parse(document.getElementById("themes").textContent);
  var dark = window.matchMedia("(prefers-color-scheme: dark)");
  var config = { displayModeBar: false, responsive: true, displaylogo: false };
  var charts = Array.prototype.slice.call(document.querySelectorAll(".chart[id]"));

  function merge(base, extra) {
    var out = {};
    [base, extra].forEach(function (src) {
      Object.keys(src || {}).forEach(function (key) {
        var value = src[key];
        out[key] = value && typeof value === "object" && !Array.isArray(value) && out[key] && typeof out[key] === "object"
          ? merge(out[key], value) : value;
      });
    });
    return out;
  }

  function themed(layout) {
    var theme = themes[dark.matches ? "dark" : "light"];
    var out = merge(theme.base, layout);
    ["xaxis", "yaxis"].forEach(function (axis) { if (!out[axis]) { out[axis] = {}; } });
    Object.keys(out).forEach(function (key) {
      if (/^[xy]axis\d*$/.test(key)) { out[key] = merge(theme.axis, out[key]); }
    });
    return out;
  }

  function draw(el) {
    if (el.dataset.state) { return Promise.resolve(); }
    el.dataset.state = "drawing";
    var fig = figures[el.id];
    return Plotly.newPlot(el, fig.data, themed(fig.layout), config).then(function () {
      el.dataset.state = "drawn";
      el.dataset.drawnAt = String(Math.round(performance.now()));
    });
  }

  var idle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 16); };
  function drawRest() {
    var next = charts.filter(function (el) { return !el.dataset.state; })[0];
    if (next) { draw(next).then(function () { idle(drawRest); }); }
  }

  var onScreen = charts.filter(function (el) { return el.getBoundingClientRect().top < window.innerHeight + 100; });
  onScreen.reduce(function (done, el) { return done.then(function () { return draw(el); }); }, Promise.resolve())
    .then(function () { idle(drawRest); });

  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); draw(entry.target); }
      });
    }, { rootMargin: "300px" });
    charts.forEach(function (el) { observer.observe(el); });
  }

  dark.addEventListener("change", function () {
    charts.forEach(function (el) {
      if (el.dataset.state === "drawn") { Plotly.react(el, figures[el.id].data, themed(figures[el.id].layout), config); }
    });
  });
})();
