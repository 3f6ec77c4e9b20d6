// A dataset's chart: the reader picks the horizontal axis (any column) and the series (numeric columns); the
// rows are the first 1,000 of the table's current view (its filters), in the order of the horizontal axis.
(function () {
  "use strict";
  var el = document.getElementById("od-chart");
  var specEl = document.getElementById("od-chart-spec");
  var form = document.getElementById("od-chart-form");
  if (!el || !specEl || !form || typeof echarts === "undefined") { return; }
  var spec = JSON.parse(specEl.textContent);
  var titles = {};
  var types = {};
  spec.fields.forEach(function (f) { titles[f.name] = f.title; types[f.name] = f.type; });
  var chart = null;
  var asked = 0;

  function chosen() {
    var x = form.querySelector("[name=chart_x]").value;
    var ys = Array.prototype.map.call(form.querySelectorAll("[name=chart_y]:checked"), function (box) {
      return box.value;
    }).filter(function (name) { return name !== x; });
    return { x: x, ys: ys };
  }

  function filters() {
    var table = document.getElementById("od-rows");  // the table swapped by htmx carries its view's filters
    return table ? table.getAttribute("data-filter-query") || "" : "";
  }

  function draw() {
    var pick = chosen();
    var mine = ++asked;
    el.setAttribute("data-x", pick.x);
    el.setAttribute("data-series", pick.ys.join(","));
    if (!pick.ys.length) {
      chart.clear();
      chart.setOption({ title: { text: el.dataset.labelEmpty, left: "center", top: "middle",
                                 textStyle: { fontSize: 14, fontWeight: "normal" } } });
      return;
    }
    var url = el.dataset.rowsUrl + "?limit=1000&sort=" + encodeURIComponent(pick.x) +
      "&fields=" + encodeURIComponent([pick.x].concat(pick.ys).join(","));
    var query = filters();
    if (query) { url += "&" + query; }
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (mine !== asked || !data.rows) { return; }  // a later choice is already on its way
        var line = types[pick.x] === "date" || types[pick.x] === "datetime";
        chart.clear();
        chart.setOption({
          tooltip: { trigger: "axis" },
          legend: { data: pick.ys.map(function (name) { return titles[name]; }) },
          grid: { left: 48, right: 16, bottom: 64, containLabel: true },
          xAxis: { type: "category", name: titles[pick.x], nameLocation: "middle", nameGap: 40,
                   data: data.rows.map(function (r) { return r[pick.x] == null ? "" : String(r[pick.x]); }) },
          yAxis: { type: "value" },
          series: pick.ys.map(function (name) {
            return { name: titles[name], type: line ? "line" : "bar", showSymbol: false,
                     data: data.rows.map(function (r) { return r[name]; }) };
          })
        });
      });
  }

  function show() {
    if (chart) { chart.resize(); return; }
    chart = echarts.init(el);
    window.addEventListener("resize", function () { chart.resize(); });
    form.addEventListener("change", draw);
    draw();
  }
  var tab = document.getElementById("od-chart-tab");
  if (tab) { tab.addEventListener("shown.bs.tab", show); } else { show(); }
})();
