// The control dashboard's charts: the table's rows as stacked bars, and the monthly trend.
(function () {
  "use strict";
  if (!window.echarts) { return; }
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  var chart = data("orders-chart-data");
  var element = document.getElementById("orders-chart");
  if (chart && element && chart.labels.length) {
    var bars = echarts.init(element, null, { renderer: "svg" });
    bars.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: chart.labels, inverse: true,
               axisLabel: { width: 160, overflow: "truncate" } },
      series: [
        { name: chart.names.done, type: "bar", stack: "all", data: chart.done, color: "#198754" },
        { name: chart.names.open, type: "bar", stack: "all", data: chart.open, color: "#0d6efd" },
        { name: chart.names.overdue, type: "bar", stack: "all", data: chart.overdue, color: "#dc3545" }
      ]
    });
    window.addEventListener("resize", function () { bars.resize(); });
  }
  var trend = data("orders-trend-data");
  var trendElement = document.getElementById("orders-trend");
  if (trend && trendElement) {
    var line = echarts.init(trendElement, null, { renderer: "svg" });
    line.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: trend.months },
      yAxis: { type: "value" },
      series: [
        { name: trend.names.given, type: "line", data: trend.given, color: "#6c757d" },
        { name: trend.names.done, type: "line", data: trend.done, color: "#198754" },
        { name: trend.names.late, type: "line", data: trend.late, color: "#fd7e14" }
      ]
    });
    window.addEventListener("resize", function () { line.resize(); });
  }
})();
