// The registry of constructions' pages (uses construction/map-layers.js):
// the registry's map (the filtered objects, clustered, with their outlines), an object's card map (the object's
// GeoJSON from the page's JSON block), and the keepers' form (a click fills latitude and longitude, the outline
// typed as GeoJSON is drawn, "Find on the map" looks the typed address up in the address registry).
(function () {
  "use strict";
  if (typeof L === "undefined" || !window.KraiMapLayers) { return; }
  var Layers = window.KraiMapLayers;

  function registryMap(el) {
    var map = Layers.create(el);
    Layers.load(map, el.dataset.url, { cluster: true, openLabel: el.dataset.labelOpen })
      .then(function (layers) { el.dataset.loaded = String(layers.markers.getLayers().length); })
      .catch(function () { el.dataset.loaded = "error"; });
  }

  function cardMap(el) {
    var source = document.getElementById(el.dataset.source);
    var data = source ? JSON.parse(source.textContent) : null;
    var map = Layers.create(el, { scrollWheelZoom: false });
    Layers.draw(map, data, { maxZoom: 17 });
  }

  function outlineOf(textarea) {
    try {
      var value = JSON.parse(textarea.value || "null");
      if (value && value.type === "Feature") { value = value.geometry; }
      if (value && (value.type === "Polygon" || value.type === "MultiPolygon")) {
        return { type: "FeatureCollection", features: [{ type: "Feature", properties: {}, geometry: value }] };
      }
    } catch (e) { /* not JSON yet: nothing drawn */ }
    return null;
  }

  function formMap(el) {
    var byId = function (name) { return document.getElementById(el.dataset[name]); };
    var lat = byId("latInput"), lon = byId("lonInput"), polygon = byId("polygonInput"), address = byId("addressInput");
    if (!lat || !lon) { return; }
    var map = Layers.create(el);
    var pick = Layers.picker(map, lat, lon);
    var outline = null;
    function drawOutline(fit) {
      if (outline) { map.removeLayer(outline.outlines); outline = null; }
      var data = polygon ? outlineOf(polygon) : null;
      if (data) { outline = Layers.draw(map, data, { fit: fit && !lat.value }); }
    }
    if (polygon) { polygon.addEventListener("change", function () { drawOutline(true); }); }
    drawOutline(true);

    var button = document.getElementById("krai-object-geocode");
    var status = document.getElementById("krai-object-geocode-status");
    if (!button || !address || !el.dataset.searchUrl) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = address.value.trim();
      if (text.length < 3) { address.focus(); return; }
      fetch(el.dataset.searchUrl + "?limit=1&q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (data) {
          var place = (data.results || [])[0];
          if (!place) { status.textContent = el.dataset.labelNotFound; return; }
          pick.set(place.lat, place.lon);
          status.textContent = el.dataset.labelFound + " " + place.label + ". " + el.dataset.labelPlaced;
        })
        .catch(function () { status.textContent = el.dataset.labelNotFound; });
    });
  }

  var registry = document.getElementById("krai-registry-map");
  if (registry) { registryMap(registry); }
  var card = document.getElementById("krai-object-map");
  if (card) { cardMap(card); }
  var form = document.getElementById("krai-object-form-map");
  if (form) { formMap(form); }
})();
