/* Draw the dashboard's charts with ECharts from the data the page already carries (json_script).
   The tables beside the charts hold the same data, so the page is complete without this script.
   ECharts is a tree-shaken bundle of only what is used here (smartedu/stats/frontend/echarts.mjs). */
(function () {
  "use strict";
  var data = document.getElementById("dashboard-charts");
  if (!data || !window.echarts) { return; }
  var charts = JSON.parse(data.textContent);
  var chinese = (document.documentElement.lang || "").indexOf("zh") === 0;
  var instances = [];

  // 2099495 → "209.9万" in Chinese; separators otherwise.
  function count(value) {
    if (typeof value !== "number") { return value; }
    var abs = Math.abs(value);
    if (chinese && abs >= 1e8) { return +(value / 1e8).toFixed(1) + "亿"; }
    if (chinese && abs >= 1e4) { return +(value / 1e4).toFixed(1) + "万"; }
    return value.toLocaleString(chinese ? "zh-CN" : "en");
  }

  function line(name, data, partial) {
    var spec = { name: name, type: "line", data: data, showSymbol: partial, connectNulls: false };
    if (partial) { spec.lineStyle = { type: "dashed" }; }
    else { spec.endLabel = { show: true, formatter: "{a}" }; }
    return spec;
  }

  function series(spec) {
    var out = [];
    spec.series.forEach(function (s) {
      var data = s.data.slice();
      if (spec.partialLast && spec.kind === "line" && data.length > 1) {
        // Today's point is drawn dashed from yesterday's, not as a fall of the solid line.
        var partial = data.map(function (v, i) { return i >= data.length - 2 ? v : null; });
        data[data.length - 1] = null;
        out.push(line(s.name, data, false));
        out.push(line(s.name, partial, true));
      } else if (spec.kind === "line") {
        out.push(line(s.name, data, false));
      } else {
        out.push({ name: s.name, type: "bar", data: data,
                   label: { show: true, position: "right", formatter: function (p) { return count(p.value); } } });
      }
    });
    return out;
  }

  function option(spec) {
    var horizontal = spec.kind === "bar" && spec.x.length > 12;
    // Bars name sections and provinces: every label is drawn (the chart grows to fit them).
    var category = { type: "category", data: spec.x,
                     axisLabel: spec.kind === "bar" ? { interval: 0, width: horizontal ? 100 : 80, overflow: "truncate" }
                                                    : { hideOverlap: true } };
    var value = { type: "value", axisLabel: { formatter: count } };
    var opt = {
      animation: false,
      legend: { top: 0 },
      grid: { left: horizontal ? 110 : 60, right: spec.kind === "line" ? 110 : 60, top: 36, bottom: 30, containLabel: !horizontal },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? Object.assign({ inverse: true }, category) : value,
      series: series(spec)
    };
    return opt;
  }

  Object.keys(charts).forEach(function (key) {
    var el = document.querySelector('[data-chart="' + key + '"]');
    if (!el) { return; }
    var spec = charts[key];
    if (spec.kind === "bar" && spec.x.length > 12) {
      el.style.height = Math.max(320, spec.x.length * 24) + "px";
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
