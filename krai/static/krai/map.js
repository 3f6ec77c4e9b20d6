// Krai's shared map set-up (krai/core/maps.py gives the element its data-* attributes with {% map_attrs %}):
// the tile layer from the installation's settings and the default marker icons by their collected URLs.
window.KraiMap = (function () {
  "use strict";
  function setup(el, map, maxZoom) {
    L.Icon.Default.imagePath = "";  // the URLs below are whole: no guessing from the stylesheet
    L.Icon.Default.mergeOptions({
      iconUrl: el.dataset.iconUrl,
      iconRetinaUrl: el.dataset.iconRetinaUrl,
      shadowUrl: el.dataset.shadowUrl
    });
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { maxZoom: maxZoom || 19, attribution: el.dataset.tileAttribution || "" })
        .addTo(map);
    }
    return map;
  }
  return { setup: setup };
})();
