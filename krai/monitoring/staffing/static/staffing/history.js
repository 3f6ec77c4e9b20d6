// Staffing's history chart: the fill rate at each month's end.
(function () {
  "use strict";
  var node = document.getElementById("staffing-history-data");
  var element = document.getElementById("staffing-history");
  if (!window.echarts || !node || !element) { return; }
  var data = JSON.parse(node.textContent);
  var chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + " %"; } },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.labels },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } },
    series: [{ type: "line", data: data.values, color: "#0d6efd", markLine: data.threshold ? {
      symbol: "none", data: [{ yAxis: data.threshold }], lineStyle: { color: "#dc3545", type: "dashed" } } : undefined }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
