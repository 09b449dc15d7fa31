/* planmon web: charts from data attributes (no inline script: the CSP forbids it). */
(function () {
  "use strict";
  function num(v) { return v === null || v === undefined ? null : Number(v); }

  function drawSpark(el) {
    var d = JSON.parse(el.getAttribute("data-spark"));
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false, grid: { left: 2, right: 2, top: 6, bottom: 2 },
      xAxis: { type: "category", show: false, data: d.map(function (p) { return p.period; }) },
      yAxis: { type: "value", show: false, scale: true },
      series: [{ type: "line", data: d.map(function (p) { return num(p.value); }), symbol: "none",
                 lineStyle: { width: 2, color: "#b4232c" }, areaStyle: { opacity: 0.08 } }]
    });
  }

  function drawSeries(el) {
    var d = JSON.parse(el.getAttribute("data-series"));
    var periods = {};  /* period label → position on the time axis (2025-06 comes before 2025) */
    d.series.concat(d.trajectory).forEach(function (p) { periods[p.period] = p.time; });
    var cats = Object.keys(periods).sort(function (a, b) { return periods[a] - periods[b]; });
    function on(list) {
      var m = {}; list.forEach(function (p) { m[p.period] = num(p.value); });
      return cats.map(function (c) { return c in m ? m[c] : null; });
    }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false, tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 60, right: 20, top: 36, bottom: 30 },
      xAxis: { type: "category", data: cats }, yAxis: { type: "value", scale: true, name: d.unit },
      series: [
        { name: d.labels.actual, type: "line", data: on(d.series), connectNulls: true, color: "#b4232c" },
        { name: d.labels.trajectory, type: "line", data: on(d.trajectory), connectNulls: true,
          lineStyle: { type: "dashed" }, color: "#52606d" }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init(root) {
    if (typeof echarts === "undefined") { return; }
    root.querySelectorAll("[data-spark]").forEach(drawSpark);
    root.querySelectorAll("[data-series]").forEach(drawSeries);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (e) { init(e.target); });
})();

/* Sortable tables: click a header with data-sort (text or num) to sort by it; again to reverse. */
(function () {
  "use strict";
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th[data-sort]").forEach(function (th, col) {
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var num = th.getAttribute("data-sort") === "num";
        var dir = th.getAttribute("data-dir") === "asc" ? -1 : 1;
        th.setAttribute("data-dir", dir === 1 ? "asc" : "desc");
        var idx = Array.prototype.indexOf.call(th.parentNode.children, th);
        rows.sort(function (a, b) {
          var x = a.cells[idx], y = b.cells[idx];
          if (num) {
            var u = parseFloat(x.getAttribute("data-v")), v = parseFloat(y.getAttribute("data-v"));
            if (isNaN(u)) { return 1; } if (isNaN(v)) { return -1; }
            return dir * (u - v);
          }
          return dir * x.innerText.localeCompare(y.innerText, "zh-CN");
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
