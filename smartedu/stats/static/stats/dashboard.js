/* Draw the dashboard's charts with ECharts from the data the page already carries (json_script).
   The tables beside the charts hold the same data, so the page is complete without this script. */
(function () {
  "use strict";
  var data = document.getElementById("dashboard-charts");
  if (!data || !window.echarts) { return; }
  var charts = JSON.parse(data.textContent);
  var instances = [];

  function option(spec) {
    var horizontal = spec.kind === "bar" && spec.x.length > 12;
    var category = { type: "category", data: spec.x, axisLabel: { hideOverlap: true } };
    var value = { type: "value" };
    var opt = {
      aria: { enabled: true },
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: horizontal ? 110 : 60, right: 24, top: 36, bottom: spec.zoom ? 70 : 30, containLabel: false },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign({ inverse: true }, category) : value,
      series: spec.series.map(function (s) {
        return { name: s.name, type: spec.kind, data: s.data, showSymbol: false, connectNulls: false };
      })
    };
    if (spec.zoom) {
      opt.dataZoom = [{ type: "inside" }, { type: "slider", bottom: 10 }];
    }
    return opt;
  }

  Object.keys(charts).forEach(function (key) {
    var el = document.querySelector('[data-chart="' + key + '"]');
    if (!el) { return; }
    var spec = charts[key];
    if (spec.kind === "bar" && spec.x.length > 12) {
      el.style.height = Math.max(320, spec.x.length * 22) + "px";
    }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(spec));
    el.setAttribute("data-rendered", "true");
    instances.push(chart);
  });

  window.addEventListener("resize", function () {
    instances.forEach(function (c) { c.resize(); });
  });
}());
