// The indicator page's chart: the actual by period against the plan to date.
(function () {
  "use strict";
  var node = document.getElementById("ind-chart-data");
  var element = document.getElementById("ind-chart");
  if (!window.echarts || !node || !element) { return; }
  var data = JSON.parse(node.textContent);
  var chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.periods },
    yAxis: { type: "value", name: data.unit },
    series: [
      { name: data.names.actual, type: "bar", data: data.actual, color: "#0d6efd" },
      { name: data.names.plan, type: "line", data: data.plan, color: "#dc3545", connectNulls: true }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
