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
  function show() {
    if (map) { map.invalidateSize(); return; }
    map = L.map(el, { scrollWheelZoom: false });
    map.setView([45.0, 39.0], 6);
    KraiMap.setup(el, map, 18);
    fetch(el.dataset.pointsUrl + window.location.search, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 5, color: "#0b5394" }); },
          onEachFeature: function (f, l) { l.bindPopup(escapeHtml(f.properties.label || ("#" + f.properties._id))); }
        }).addTo(map);
        if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds(), { maxZoom: 12 }); }
        if (data.truncated) {
          var note = document.createElement("p");
          note.className = "small text-body-secondary mt-1";
          note.textContent = el.dataset.labelTruncated;
          el.after(note);
        }
      });
  }
  var tab = document.getElementById("od-map-tab");
  if (tab) { tab.addEventListener("shown.bs.tab", show); } else { show(); }
})();
