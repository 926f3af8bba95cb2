// The parts of ECharts the dashboards draw with, and nothing else: `make install` bundles this file with
// esbuild (tree-shaken, minified; `make echarts`) into node_modules/.smartedu/echarts/echarts.min.js,
// served as static/vendor/echarts/echarts.min.js. A chart kind or component used in dashboard.js must be
// listed here. Kept under 150 KB as sent (brotli; tests/stats/test_echarts_bundle.py): no tooltip, data
// zoom or scrolling legend (the table beside each chart has every value; lines carry their names at
// their end, bars their values).
import { init, use } from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { GridSimpleComponent, LegendComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";

use([BarChart, LineChart, GridSimpleComponent, LegendComponent, SVGRenderer]);

window.echarts = { init };
