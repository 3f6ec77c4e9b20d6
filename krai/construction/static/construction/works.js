// "Find out" about works: the map of the list page (markers clustered by leaflet.markercluster, a road's line or a
// yard's outline drawn close up), the streets that have works offered as one types "my street", and the staff's
// point picker on the work's form. Texts from the server go in as text, never as HTML.
(function () {
  "use strict";

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function popup(props) {
    var box = document.createElement("div");
    box.appendChild(link(props.url, props.name));
    var line = document.createElement("div");
    line.className = "small";
    line.textContent = [props.kind_label, props.status_label].filter(Boolean).join(" · ");
    box.appendChild(line);
    return box;
  }

  function worksMap(el) {
    var map = L.map(el, { zoomControl: false, scrollWheelZoom: true, maxZoom: 19 });
    L.control.zoom({ zoomInTitle: el.dataset.labelZoomIn, zoomOutTitle: el.dataset.labelZoomOut }).addTo(map);
    map.setView([45.2, 39.2], 7);
    KraiMap.setup(el, map, 19);
    var markers = typeof L.markerClusterGroup === "function" ? L.markerClusterGroup({ maxClusterRadius: 40 }) : L.layerGroup();
    var shapes = L.layerGroup();
    markers.addTo(map);
    function toggleShapes() {
      if (map.getZoom() >= 14) { shapes.addTo(map); } else { shapes.remove(); }
    }
    map.on("zoomend", toggleShapes);
    fetch(el.dataset.url, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        var bounds = [];
        (data.features || []).forEach(function (f) {
          var c = f.geometry.coordinates;
          var marker = L.marker([c[1], c[0]], { title: f.properties.name });
          marker.bindPopup(popup(f.properties));
          markers.addLayer(marker);
          bounds.push([c[1], c[0]]);
          if (f.properties.shape) {
            var shape = L.geoJSON(f.properties.shape, { style: { weight: 5, opacity: 0.7 } });
            shape.bindPopup(popup(f.properties));
            shapes.addLayer(shape);
          }
        });
        if (bounds.length) { map.fitBounds(bounds, { maxZoom: 15, padding: [20, 20] }); }
        toggleShapes();
        el.dataset.loaded = String(bounds.length);
      })
      .catch(function () {});
  }

  function streetHints(form) {
    var input = form.querySelector("[name=street]");
    var list = document.getElementById("krai-work-streets");
    var municipality = form.querySelector("[name=municipality]");
    if (!input || !list) { return; }
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (q.length < 2) { return; }
        var params = new URLSearchParams({ q: q, municipality: municipality ? municipality.value : "" });
        fetch(form.dataset.streetsUrl + "?" + params.toString(), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren();
            (data.results || []).forEach(function (name) {
              var option = document.createElement("option");
              option.value = name;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 250);
    });
  }

  function pointPicker(el) {
    var lat = document.getElementById("id_lat");
    var lon = document.getElementById("id_lon");
    var map = L.map(el, { zoomControl: false, maxZoom: 19 });
    L.control.zoom({ zoomInTitle: el.dataset.labelZoomIn, zoomOutTitle: el.dataset.labelZoomOut }).addTo(map);
    KraiMap.setup(el, map, 19);
    var marker = null;
    function place(la, lo, centre) {
      if (marker) { marker.setLatLng([la, lo]); } else { marker = L.marker([la, lo]).addTo(map); }
      if (centre) { map.setView([la, lo], 16); }
    }
    var startLat = parseFloat(el.dataset.lat), startLon = parseFloat(el.dataset.lon);
    if (!isNaN(startLat) && !isNaN(startLon)) { place(startLat, startLon, true); } else { map.setView([45.2, 39.2], 7); }
    map.on("click", function (e) {
      place(e.latlng.lat, e.latlng.lng, false);
      if (lat) { lat.value = e.latlng.lat.toFixed(6); }
      if (lon) { lon.value = e.latlng.lng.toFixed(6); }
    });
  }

  if (typeof L !== "undefined") {
    var listMap = document.getElementById("krai-work-map");
    if (listMap) { worksMap(listMap); }
    var picker = document.getElementById("krai-work-point");
    if (picker) { pointPicker(picker); }
  }
  var filters = document.getElementById("krai-work-filters");
  if (filters) { streetHints(filters); }
})();
