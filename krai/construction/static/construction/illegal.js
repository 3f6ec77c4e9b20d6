// The illegal constructions' map: the entries of the list's filters that have a point (given with the page as
// JSON, #krai-illegal-points), as dots coloured by status, grouped close together by leaflet.markercluster.
// Popups and tooltips are built as DOM nodes: an address is text, never HTML.
(function () {
  "use strict";
  var el = document.getElementById("krai-illegal-map");
  var source = document.getElementById("krai-illegal-points");
  if (!el || !source || typeof L === "undefined") { return; }
  var data = JSON.parse(source.textContent || "{}");
  var points = data.points || [];
  var colours = data.colours || {};
  var map = L.map(el, { zoomControl: false, scrollWheelZoom: true, maxZoom: 19 });
  L.control.zoom({ zoomInTitle: el.dataset.labelZoomIn, zoomOutTitle: el.dataset.labelZoomOut }).addTo(map);
  map.setView([45.2, 39.2], 7);
  KraiMap.setup(el, map, 19);
  var layer = typeof L.markerClusterGroup === "function" ? L.markerClusterGroup({ maxClusterRadius: 40 }) : L.layerGroup();
  layer.addTo(map);

  function detailUrl(id) { return el.dataset.detailUrl.replace(/0\/$/, id + "/"); }

  function popup(p) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = detailUrl(p.id);
    link.textContent = p.address;
    box.appendChild(link);
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(p.status_label));
    return box;
  }

  var bounds = [];
  points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lon], { radius: 7, weight: 1, color: "#ffffff", fillOpacity: 0.9,
                                                  fillColor: colours[p.status] || "#000000" });
    marker.bindPopup(popup(p));
    marker.bindTooltip(document.createTextNode(p.address));  // a string would be read as HTML
    layer.addLayer(marker);
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length === 1) { map.setView(bounds[0], 15); }
  else if (bounds.length > 1) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 }); }
  el.dataset.loaded = String(points.length);
})();
