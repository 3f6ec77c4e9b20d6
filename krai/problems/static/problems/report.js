// The report form's map: a click (or typed coordinates) marks the place; the similar problems nearby follow.
(function () {
  "use strict";
  var el = document.getElementById("krai-report-map");
  if (!el || typeof L === "undefined") { return; }
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var category = document.getElementById("id_category");
  var map = L.map(el, { zoomControl: false, maxZoom: 19 });
  L.control.zoom({ zoomInTitle: el.dataset.labelZoomIn, zoomOutTitle: el.dataset.labelZoomOut }).addTo(map);
  map.setView([45.04, 38.98], 8);
  KraiMap.setup(el, map, 19);
  var marker = null;

  function similar() {
    if (!lat.value || !lon.value || !category.value || typeof htmx === "undefined") { return; }
    htmx.ajax("GET", el.dataset.similarUrl + "?lat=" + encodeURIComponent(lat.value) + "&lon=" +
              encodeURIComponent(lon.value) + "&category=" + encodeURIComponent(category.value),
              { target: "#krai-similar", swap: "outerHTML" });
  }

  function place(latlng, pan) {
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { keyboard: false }).addTo(map); }
    if (pan) { map.panTo(latlng); }
  }

  map.on("click", function (e) {
    lat.value = e.latlng.lat.toFixed(6);
    lon.value = e.latlng.lng.toFixed(6);
    place(e.latlng, false);
    similar();
  });
  [lat, lon].forEach(function (input) {
    input.addEventListener("change", function () {
      var a = parseFloat(lat.value), b = parseFloat(lon.value);
      if (isFinite(a) && isFinite(b)) { place([a, b], true); similar(); }
    });
  });
  if (lat.value && lon.value && isFinite(parseFloat(lat.value))) {
    place([parseFloat(lat.value), parseFloat(lon.value)], true);
  }
  el.dataset.ready = "1";
})();
