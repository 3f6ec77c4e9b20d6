// The place a photo was taken, on a small map (the coordinates are shown as text without script).
(function () {
  "use strict";
  var el = document.getElementById("social-photo-map");
  if (!el || typeof L === "undefined" || typeof KraiMap === "undefined") { return; }
  var point = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
  if (isNaN(point[0]) || isNaN(point[1])) { return; }
  var map = L.map(el, { scrollWheelZoom: false, maxZoom: 19 }).setView(point, 14);
  KraiMap.setup(el, map, 19);
  L.marker(point, { keyboard: false }).addTo(map);
})();
