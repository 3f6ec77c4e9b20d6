// The problems' map: the server clusters far out (one small answer however many problems there are),
// leaflet.markercluster groups the single problems close up. Filters of the page apply to the map too.
(function () {
  "use strict";
  var el = document.getElementById("krai-problem-map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el, { zoomControl: false, scrollWheelZoom: true, maxZoom: 19 });
  L.control.zoom({ zoomInTitle: el.dataset.labelZoomIn, zoomOutTitle: el.dataset.labelZoomOut }).addTo(map);
  map.setView([45.2, 39.2], 7);
  KraiMap.setup(el, map, 19);
  var singles = typeof L.markerClusterGroup === "function" ? L.markerClusterGroup({ maxClusterRadius: 40 }) : L.layerGroup();
  var clusters = L.layerGroup();
  singles.addTo(map);
  clusters.addTo(map);
  var pending = null;

  function detailUrl(id) { return el.dataset.detailUrl.replace(/0\/$/, id + "/"); }

  function filters() {
    var form = document.getElementById("krai-problem-filters");
    if (!form) { return ""; }
    var params = new URLSearchParams(new FormData(form));
    return params.toString();
  }

  function clusterIcon(count) {
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    return L.divIcon({ html: "<div><span>" + count + "</span></div>", className: "marker-cluster marker-cluster-" + size,
                       iconSize: L.point(40, 40) });
  }

  function load() {
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
      return Math.max(-180, Math.min(180, v)).toFixed(5);
    });
    bbox[1] = Math.max(-90, bbox[1]); bbox[3] = Math.min(90, bbox[3]);
    var url = el.dataset.url + "?bbox=" + bbox.join(",") + "&zoom=" + Math.round(map.getZoom()) + "&" + filters();
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        singles.clearLayers();
        clusters.clearLayers();
        (data.clusters || []).forEach(function (c) {
          var marker = L.marker([c.lat, c.lon], { icon: clusterIcon(c.count), keyboard: true,
                                                  title: c.count + " " + el.dataset.labelProblems });
          marker.on("click", function () { map.setView([c.lat, c.lon], Math.min(map.getZoom() + 2, 18)); });
          clusters.addLayer(marker);
        });
        (data.points || []).forEach(function (p) {
          var marker = L.marker([p.lat, p.lon], { title: el.dataset.labelProblem + " №" + p.id });
          marker.bindPopup('<a href="' + detailUrl(p.id) + '">' + el.dataset.labelProblem + " №" + p.id + "</a>" +
                           (p.category ? "<br>" + String(p.category).replace(/[<>&]/g, "") : ""));
          singles.addLayer(marker);
        });
        el.dataset.loaded = String((data.clusters || []).length + (data.points || []).length);
      })
      .catch(function () {});
  }
  map.on("moveend", load);
  var form = document.getElementById("krai-problem-filters");
  if (form) { form.addEventListener("change", load); }
  load();
})();
