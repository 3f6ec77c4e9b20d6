// The municipalities' map: boundaries from the portal's GeoJSON, tiles only if a tile URL is set.
// With no tile server reachable (closed networks) the boundaries are still drawn on a blank map.
(function () {
  "use strict";
  var el = document.getElementById("krai-municipality-map");
  if (!el || typeof L === "undefined") { return; }
  var kinds = {};
  var kindsEl = document.getElementById("krai-municipality-kinds");
  if (kindsEl) { kinds = JSON.parse(kindsEl.textContent); }
  var lang = document.documentElement.lang || "ru";
  var number = new Intl.NumberFormat(lang);

  var map = L.map(el, { zoomSnap: 0.25, scrollWheelZoom: false, zoomControl: false });
  L.control.zoom({
    zoomInTitle: el.dataset.labelZoomIn || "Zoom in",
    zoomOutTitle: el.dataset.labelZoomOut || "Zoom out",
  }).addTo(map);
  map.setView([45.0, 39.0], 6);
  KraiMap.setup(el, map, 18);

  var style = { color: "#0b5394", weight: 1.5, fillColor: "#3d85c6", fillOpacity: 0.18 };
  var hover = { weight: 3, fillOpacity: 0.35 };
  var byCode = {};

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function popup(props) {
    var name = lang === "en" && props.name_en ? props.name_en : props.name;
    var html = "<strong>" + escapeHtml(name) + "</strong>";
    if (el.dataset.detailUrl && props.code) {
      html = '<a href="' + escapeHtml(el.dataset.detailUrl.replace("__code__", encodeURIComponent(props.code))) +
        '">' + html + "</a>";
    }
    if (kinds[props.kind]) { html += "<br>" + escapeHtml(kinds[props.kind]); }
    if (props.admin_centre) {
      html += "<br>" + escapeHtml(el.dataset.labelCentre) + ": " + escapeHtml(props.admin_centre);
    }
    if (props.population) {
      html += "<br>" + escapeHtml(el.dataset.labelPopulation) + ": " + number.format(props.population);
    }
    return html;
  }

  // One municipality's page embeds its feature; the list page fetches them all.
  var embedded = el.dataset.featureScript ? document.getElementById(el.dataset.featureScript) : null;
  var source = embedded ? Promise.resolve(JSON.parse(embedded.textContent)) :
    fetch(el.dataset.geojsonUrl, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      });
  source
    .then(function (data) {
      var layer = L.geoJSON(data, {
        filter: function (feature) { return !!feature.geometry; },
        style: function () { return style; },
        onEachFeature: function (feature, featureLayer) {
          byCode[feature.properties.code] = featureLayer;
          featureLayer.bindPopup(popup(feature.properties));
          featureLayer.bindTooltip(escapeHtml(feature.properties.name), { sticky: true });
          featureLayer.on("mouseover", function () { featureLayer.setStyle(hover); });
          featureLayer.on("mouseout", function () { layer.resetStyle(featureLayer); });
        },
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12] }); }
      el.dataset.loaded = String(Object.keys(byCode).length);
    })
    .catch(function () {
      var note = document.createElement("p");
      note.className = "alert alert-warning m-2 position-relative";
      note.setAttribute("role", "alert");
      note.style.zIndex = 1000;
      note.textContent = el.dataset.labelError;
      el.appendChild(note);
    });

  // "Show on the map" from the table: zoom to the municipality and open its popup.
  document.querySelectorAll(".krai-show-on-map").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var featureLayer = byCode[button.dataset.code];
      if (!featureLayer) { return; }
      el.scrollIntoView({ behavior: "smooth", block: "center" });
      map.fitBounds(featureLayer.getBounds(), { maxZoom: 10 });
      featureLayer.openPopup();
    });
  });
})();
