// A dataset's rows with coordinates on a Leaflet map; loaded when the Map tab is first shown.
(function () {
  "use strict";
  var el = document.getElementById("od-map");
  if (!el || typeof L === "undefined") { return; }
  var map = null;
  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }
  var layer = null;
  var note = null;
  function filters() {
    // the rows of the table's current view (its filters travel with the table htmx swaps in)
    var table = document.getElementById("od-rows");
    var query = table ? table.getAttribute("data-filter-query") || "" : "";
    return query ? "?" + query : "";
  }
  function load() {
    fetch(el.dataset.pointsUrl + filters(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (layer) { map.removeLayer(layer); }
        if (note) { note.remove(); note = null; }
        if (!data.features) { return; }
        layer = L.geoJSON(data, {
          pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 5, color: "#0b5394" }); },
          onEachFeature: function (f, l) { l.bindPopup(escapeHtml(f.properties.label || ("#" + f.properties._id))); }
        }).addTo(map);
        if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds(), { maxZoom: 12 }); }
        if (data.truncated) {
          note = document.createElement("p");
          note.className = "small text-body-secondary mt-1";
          note.textContent = el.dataset.labelTruncated;
          el.after(note);
        }
      });
  }
  function show() {
    if (map) { map.invalidateSize(); return; }
    map = L.map(el, { scrollWheelZoom: false });
    map.setView([45.0, 39.0], 6);
    KraiMap.setup(el, map, 18);
    load();
  }
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (map && event.detail && event.detail.target && event.detail.target.id === "od-table") { load(); }
  });
  var tab = document.getElementById("od-map-tab");
  if (tab) { tab.addEventListener("shown.bs.tab", show); } else { show(); }
})();
