// One problem's place on a small map.
(function () {
  "use strict";
  var el = document.getElementById("krai-problem-point");
  if (!el || typeof L === "undefined") { return; }
  var point = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
  var map = L.map(el, { scrollWheelZoom: false, maxZoom: 19 }).setView(point, 15);
  KraiMap.setup(el, map, 19);
  L.marker(point, { keyboard: false }).addTo(map);
})();
