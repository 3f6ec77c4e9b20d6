// Numeric columns of a dataset over its date column, drawn with ECharts when the Chart tab is first shown.
(function () {
  "use strict";
  var el = document.getElementById("od-chart");
  var specEl = document.getElementById("od-chart-spec");
  if (!el || !specEl || typeof echarts === "undefined") { return; }
  var spec = JSON.parse(specEl.textContent);
  var chart = null;
  function show() {
    if (chart) { chart.resize(); return; }
    chart = echarts.init(el);
    var fields = [spec.x].concat(spec.series.map(function (s) { return s.name; }));
    var url = el.dataset.rowsUrl + "?limit=1000&sort=" + encodeURIComponent(spec.x) +
      "&fields=" + encodeURIComponent(fields.join(","));
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        chart.setOption({
          tooltip: { trigger: "axis" },
          legend: { data: spec.series.map(function (s) { return s.title; }) },
          xAxis: { type: "category", data: data.rows.map(function (r) { return r[spec.x]; }) },
          yAxis: { type: "value" },
          series: spec.series.map(function (s) {
            return { name: s.title, type: "line", showSymbol: false,
                     data: data.rows.map(function (r) { return r[s.name]; }) };
          })
        });
      });
  }
  var tab = document.getElementById("od-chart-tab");
  if (tab) { tab.addEventListener("shown.bs.tab", show); } else { show(); }
})();
