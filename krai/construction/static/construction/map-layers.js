// Construction's shared map layers (any part may use them; load after {% map_js %} / {% map_js cluster=True %}):
//   KraiMapLayers.create(el)                     a Leaflet map on el (tiles and icons from its data-* attributes),
//                                                titled zoom buttons (data-label-zoom-in/-out), the region in view
//   KraiMapLayers.draw(map, geojson, options)    Point features as markers (clustered with leaflet.markercluster
//                                                when options.cluster and it is loaded), Polygon/MultiPolygon
//                                                features as outlines; a popup links properties.url
//   KraiMapLayers.load(map, url, options)        fetch a GeoJSON URL and draw it (a Promise of the layers)
//   KraiMapLayers.picker(map, latInput, lonInput) a click on the map fills the latitude and longitude fields and
//                                                moves one draggable marker; typing in the fields moves it too
// Popups are built as DOM nodes with textContent: names from the data are never read as HTML.
window.KraiMapLayers = (function () {
  "use strict";
  var REGION = [45.2, 39.2];

  function create(el, options) {
    options = options || {};
    var map = L.map(el, { zoomControl: false, scrollWheelZoom: options.scrollWheelZoom !== false, maxZoom: 19 });
    L.control.zoom({ zoomInTitle: el.dataset.labelZoomIn || "+", zoomOutTitle: el.dataset.labelZoomOut || "-" })
      .addTo(map);
    map.setView(options.center || REGION, options.zoom || 7);
    KraiMap.setup(el, map, 19);
    return map;
  }

  function popup(props, openLabel) {
    var box = document.createElement("div");
    var link = document.createElement(props.url ? "a" : "strong");
    if (props.url) { link.href = props.url; link.title = openLabel || ""; }
    link.textContent = props.name || ("#" + (props.id || ""));
    box.appendChild(link);
    ["address", "stage_label", "status_label", "kind_label"].forEach(function (key) {
      if (props[key]) {
        var line = document.createElement("div");
        line.className = "small text-body-secondary";
        line.textContent = props[key];
        box.appendChild(line);
      }
    });
    return box;
  }

  function draw(map, data, options) {
    options = options || {};
    var clustered = options.cluster && typeof L.markerClusterGroup === "function";
    var markers = clustered ? L.markerClusterGroup({ maxClusterRadius: 40 }) : L.layerGroup();
    var outlines = L.layerGroup();
    var bounds = L.latLngBounds([]);
    ((data && data.features) || []).forEach(function (feature) {
      var geometry = feature.geometry || {};
      var props = feature.properties || {};
      if (geometry.type === "Point") {
        var point = [geometry.coordinates[1], geometry.coordinates[0]];
        var marker = L.marker(point, { title: props.name || "", keyboard: true });
        marker.bindPopup(function () { return popup(props, options.openLabel); });
        markers.addLayer(marker);
        bounds.extend(point);
      } else if (geometry.type === "Polygon" || geometry.type === "MultiPolygon") {
        var shape = L.geoJSON(feature, { style: { color: options.outlineColor || "#0d6efd", weight: 2, fillOpacity: 0.15 } });
        shape.bindPopup(function () { return popup(props, options.openLabel); });
        outlines.addLayer(shape);
        bounds.extend(shape.getBounds());
      }
    });
    outlines.addTo(map);
    markers.addTo(map);
    if (options.fit !== false && bounds.isValid()) {
      map.fitBounds(bounds.pad(0.1), { maxZoom: options.maxZoom || 16 });
    }
    return { markers: markers, outlines: outlines, bounds: bounds };
  }

  function load(map, url, options) {
    return fetch(url, { headers: { Accept: "application/geo+json, application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (data) { return draw(map, data, options); });
  }

  function picker(map, latInput, lonInput, options) {
    options = options || {};
    var marker = null;
    function place(lat, lon, pan) {
      if (marker) { marker.setLatLng([lat, lon]); } else {
        marker = L.marker([lat, lon], { draggable: true, keyboard: true }).addTo(map);
        marker.on("dragend", function () {
          var at = marker.getLatLng();
          fill(at.lat, at.lng);
        });
      }
      if (pan) { map.setView([lat, lon], Math.max(map.getZoom(), options.zoom || 16)); }
    }
    function fill(lat, lon) {
      latInput.value = lat.toFixed(6);
      lonInput.value = lon.toFixed(6);
      [latInput, lonInput].forEach(function (input) { input.dispatchEvent(new Event("change", { bubbles: true })); });
      if (options.onPick) { options.onPick(lat, lon); }
    }
    function fromInputs(pan) {
      var lat = parseFloat(latInput.value), lon = parseFloat(lonInput.value);
      if (isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) { place(lat, lon, pan); }
    }
    map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng, false); fill(e.latlng.lat, e.latlng.lng); });
    latInput.addEventListener("input", function () { fromInputs(false); });
    lonInput.addEventListener("input", function () { fromInputs(false); });
    fromInputs(true);
    return {
      set: function (lat, lon) { place(lat, lon, true); fill(lat, lon); }
    };
  }

  return { create: create, draw: draw, load: load, picker: picker };
})();
