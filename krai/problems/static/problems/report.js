// The report form's place: an address typed and chosen from the registry's suggestions, "my location", or a
// click on the map (which looks up the nearest address). The map opens on the resident's municipality; the
// similar problems nearby follow the marker.
(function () {
  "use strict";
  var el = document.getElementById("krai-report-map");
  if (!el || typeof L === "undefined") { return; }
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  var address = document.getElementById("id_address");
  var list = document.getElementById("krai-address-suggestions");
  var status = document.getElementById("krai-place-status");
  var locate = document.getElementById("krai-my-location");
  var category = document.getElementById("id_category");
  var d = el.dataset;
  var map = L.map(el, { zoomControl: false, maxZoom: 19 });
  L.control.zoom({ zoomInTitle: d.labelZoomIn, zoomOutTitle: d.labelZoomOut }).addTo(map);
  var bounds = (d.bounds || "").split(",").map(parseFloat);
  if (bounds.length === 4 && bounds.every(isFinite)) {
    map.fitBounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]]);
  } else {
    map.setView([45.04, 38.98], 8);
  }
  KraiMap.setup(el, map, 19);
  var marker = null;
  var results = [];
  var active = -1;
  var timer = null;
  var asked = 0;  // the latest search sent: an older answer arriving late is dropped

  function say(text) { status.textContent = text || ""; }

  function similar() {
    if (!lat.value || !lon.value || !category.value || typeof htmx === "undefined") { return; }
    htmx.ajax("GET", d.similarUrl + "?lat=" + encodeURIComponent(lat.value) + "&lon=" +
              encodeURIComponent(lon.value) + "&category=" + encodeURIComponent(category.value),
              { target: "#krai-similar", swap: "outerHTML" });
  }

  function place(latlng, zoom) {
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng, { keyboard: false }).addTo(map); }
    if (zoom) { map.setView(latlng, Math.max(map.getZoom(), zoom)); }
    el.dataset.markerLat = String(latlng[0] !== undefined ? latlng[0] : latlng.lat);
    el.dataset.markerLon = String(latlng[1] !== undefined ? latlng[1] : latlng.lng);
  }

  function setPoint(a, b) {
    lat.value = Number(a).toFixed(6);
    lon.value = Number(b).toFixed(6);
  }

  function reverse(a, b) {
    fetch(d.reverseUrl + "?lat=" + encodeURIComponent(a) + "&lon=" + encodeURIComponent(b),
          { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { result: null }; })
      .then(function (data) { if (data.result) { address.value = data.result.label; } })
      .catch(function () { /* the address stays as typed */ });
  }

  function close() {
    list.classList.add("d-none");
    list.innerHTML = "";
    address.setAttribute("aria-expanded", "false");
    address.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function choose(i) {
    var r = results[i];
    if (!r) { return; }
    address.value = r.label;
    setPoint(r.lat, r.lon);
    place([r.lat, r.lon], r.kind === "house" ? 17 : 15);
    close();
    say(d.labelPlaced);
    similar();
  }

  function highlight(i) {
    var items = list.querySelectorAll("[role=option]");
    items.forEach(function (item, n) { item.setAttribute("aria-selected", n === i ? "true" : "false"); });
    active = i;
    if (items[i]) { address.setAttribute("aria-activedescendant", items[i].id); items[i].scrollIntoView({ block: "nearest" }); }
  }

  function show(found) {
    results = found;
    list.innerHTML = "";
    if (!found.length) { close(); say(d.labelNothing); return; }
    say("");
    found.forEach(function (r, i) {
      var item = document.createElement("li");
      item.className = "list-group-item list-group-item-action";
      item.id = "krai-suggestion-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = r.label;
      item.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
      list.appendChild(item);
    });
    list.classList.remove("d-none");
    address.setAttribute("aria-expanded", "true");
  }

  function search() {
    var text = address.value.trim();
    if (text.length < 3) { close(); return; }
    var mine = ++asked;
    var url = d.searchUrl + "?q=" + encodeURIComponent(text) + (d.municipality ? "&municipality=" + d.municipality : "");
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) { if (mine === asked) { show(data.results || []); } })
      .catch(function () { if (mine === asked) { close(); } });
  }

  address.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  address.addEventListener("keydown", function (e) {
    var open = !list.classList.contains("d-none");
    if (e.key === "ArrowDown" && open) { e.preventDefault(); highlight(Math.min(active + 1, results.length - 1)); }
    else if (e.key === "ArrowUp" && open) { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
    else if (e.key === "Enter" && open && active >= 0) { e.preventDefault(); choose(active); }
    else if (e.key === "Escape" && open) { e.preventDefault(); close(); }
  });
  address.addEventListener("blur", function () { setTimeout(close, 150); });

  map.on("click", function (e) {
    setPoint(e.latlng.lat, e.latlng.lng);
    place(e.latlng, 0);
    reverse(lat.value, lon.value);
    similar();
  });
  [lat, lon].forEach(function (input) {
    input.addEventListener("change", function () {
      var a = parseFloat(lat.value), b = parseFloat(lon.value);
      if (isFinite(a) && isFinite(b)) { place([a, b], 15); similar(); }
    });
  });

  locate.addEventListener("click", function () {
    if (!navigator.geolocation) { say(d.labelNoGeolocation); return; }
    say(d.labelLocating);
    navigator.geolocation.getCurrentPosition(function (position) {
      var a = position.coords.latitude, b = position.coords.longitude;
      setPoint(a, b);
      place([a, b], 16);
      say(d.labelPlaced);
      reverse(lat.value, lon.value);
      similar();
    }, function () { say(d.labelRefused); }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });

  if (lat.value && lon.value && isFinite(parseFloat(lat.value)) && isFinite(parseFloat(lon.value))) {
    place([parseFloat(lat.value), parseFloat(lon.value)], 16);
  }
  el.dataset.ready = "1";
})();
