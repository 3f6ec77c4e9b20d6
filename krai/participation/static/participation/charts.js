// Participation charts (ECharts): bars from JSON the page embeds; the tables beside them hold the same figures.
(function () {
  "use strict";
  if (!window.echarts) { return; }

  function bars(element, labels, values) {
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: labels.slice().reverse(), axisLabel: { width: 220, overflow: "truncate" } },
      series: [{ type: "bar", data: values.slice().reverse(), label: { show: true, position: "right" } }],
    });
    return chart;
  }

  function stacked(element, item) {
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      legend: { type: "scroll", top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", max: 100 },
      yAxis: { type: "category", data: item.municipalities },
      series: item.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "share", data: s.data };
      }),
    });
    return chart;
  }

  function draw() {
    var charts = [];
    document.querySelectorAll("#poll-charts, #service-chart").forEach(function (node) {
      JSON.parse(node.textContent).forEach(function (item) {
        var element = document.getElementById(item.id);
        if (element) {
          if (item.kind === "line") {
            var line = echarts.init(element, null, { renderer: "svg" });
            line.setOption(item.option);
            charts.push(line);
          } else {
            charts.push(bars(element, item.labels, item.values));
          }
        }
        var byMunicipality = document.getElementById(item.id + "-m");
        if (byMunicipality && item.series) {
          var details = byMunicipality.closest("details");
          var once = function () {
            if (!byMunicipality.dataset.drawn) {
              byMunicipality.dataset.drawn = "1";
              charts.push(stacked(byMunicipality, item));
            }
          };
          if (details) { details.addEventListener("toggle", once); } else { once(); }
        }
      });
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
