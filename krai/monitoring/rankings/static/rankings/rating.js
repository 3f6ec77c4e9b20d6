// A rating's charts: the region's place by edition and the neighbours' places; place 1 at the top.
(function () {
  "use strict";
  if (!window.echarts) { return; }
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  var colours = ["#dc3545", "#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#6c757d"];
  function draw(elementId, dataId, legend) {
    var chart = data(dataId);
    var element = document.getElementById(elementId);
    if (!chart || !element || !chart.periods.length || !chart.series.length) { return; }
    var max = Math.max.apply(null, chart.counts.concat([1]));
    var line = echarts.init(element, null, { renderer: "svg" });
    line.setOption({
      tooltip: { trigger: "axis" },
      legend: legend ? { top: 0, type: "scroll" } : undefined,
      grid: { left: 8, right: 16, top: legend ? 32 : 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: chart.periods },
      yAxis: { type: "value", inverse: true, min: 1, max: max, minInterval: 1 },
      series: chart.series.map(function (s, i) {
        return { name: s.name, type: "line", data: s.places, connectNulls: true, symbolSize: 8,
                 label: { show: !legend, position: "top" }, color: colours[i % colours.length],
                 lineStyle: { width: i === 0 ? 3 : 1.5 } };
      })
    });
    window.addEventListener("resize", function () { line.resize(); });
  }
  draw("rankings-history", "rankings-history-data", false);
  draw("rankings-compare", "rankings-compare-data", true);
})();
