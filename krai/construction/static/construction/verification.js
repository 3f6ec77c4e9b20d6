// Residents' verification requests. Three maps, each found by its element:
// * #krai-requests-map — the public list's map: every request of the filters as a marker (clustered);
// * #krai-request-map — the request form: the site is marked by a click, by an address chosen from the registry's
//   suggestions, or by "my location"; as soon as a point is known the registered objects and the open requests
//   near it are shown first (JSON of the nearby endpoint), so the resident picks "this object differs" or opens an
//   existing request instead of filing a duplicate. Without this script the form works with its lat/lon fields;
// * #krai-request-point — a request's page: its site.
// Text from the server is always put in with textContent, never as HTML.
(function () {
  "use strict";
  if (typeof L === "undefined" || typeof KraiMap === "undefined") { return; }
  var REGION = [45.04, 38.98];

  function newMap(el, zoom) {
    var map = L.map(el, { zoomControl: false, maxZoom: 19 });
    L.control.zoom({ zoomInTitle: el.dataset.labelZoomIn, zoomOutTitle: el.dataset.labelZoomOut }).addTo(map);
    map.setView(REGION, zoom || 8);
    KraiMap.setup(el, map, 19);
    return map;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; });
  }

  // --- the list's map ------------------------------------------------------------------------------------
  function listMap(el) {
    var map = newMap(el, 7);
    var layer = typeof L.markerClusterGroup === "function" ? L.markerClusterGroup({ maxClusterRadius: 40 }) : L.layerGroup();
    layer.addTo(map);
    getJson(el.dataset.url).then(function (data) {
      if (!data || !data.features) { return; }
      var points = [];
      data.features.forEach(function (feature) {
        var p = feature.properties, c = feature.geometry.coordinates;
        var box = element("div");
        var link = element("a", "fw-semibold", el.dataset.labelRequest + " " + p.id);
        link.href = p.url;
        box.appendChild(link);
        box.appendChild(element("div", "small", p.address));
        box.appendChild(element("div", "small text-body-secondary", p.decision_label || p.status_label));
        layer.addLayer(L.marker([c[1], c[0]], { title: p.address }).bindPopup(box));
        points.push([c[1], c[0]]);
      });
      if (points.length) { map.fitBounds(points, { maxZoom: 15, padding: [20, 20] }); }
    }).catch(function () { /* the list beside the map still lists every request */ });
  }

  // --- a request's site ----------------------------------------------------------------------------------
  function pointMap(el) {
    var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
    var map = newMap(el, 8);
    if (isFinite(lat) && isFinite(lon)) {
      L.marker([lat, lon], { keyboard: false }).addTo(map);
      map.setView([lat, lon], 16);
    }
  }

  // --- the request form ----------------------------------------------------------------------------------
  function requestForm(el) {
    var d = el.dataset;
    var lat = document.getElementById("id_lat");
    var lon = document.getElementById("id_lon");
    var address = document.getElementById("id_address");
    var list = document.getElementById("krai-address-suggestions");
    var status = document.getElementById("krai-place-status");
    var locate = document.getElementById("krai-my-location");
    var objects = document.getElementById("krai-nearby-objects");
    var requests = document.getElementById("krai-nearby-requests");
    var hint = document.getElementById("krai-nearby-hint");
    var map = newMap(el, 8);
    var bounds = (d.bounds || "").split(",").map(parseFloat);
    if (bounds.length === 4 && bounds.every(isFinite)) { map.fitBounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]]); }
    var marker = null, nearLayer = L.layerGroup().addTo(map);
    var results = [], active = -1, timer = null, asked = 0, nearAsked = 0;

    function say(text) { status.textContent = text || ""; }

    function place(a, b, zoom) {
      if (marker) { marker.setLatLng([a, b]); } else { marker = L.marker([a, b], { keyboard: false }).addTo(map); }
      if (zoom) { map.setView([a, b], Math.max(map.getZoom(), zoom)); }
    }

    function setPoint(a, b) { lat.value = Number(a).toFixed(6); lon.value = Number(b).toFixed(6); }

    function reason(value) {
      var radio = document.querySelector("input[name=reason][value=" + value + "]");
      if (radio) { radio.checked = true; }
    }

    function checkedObject() {
      var radio = objects.querySelector("input[name=object]:checked");
      return radio ? radio.value : "";
    }

    function objectRadio(o, checked) {
      var box = element("div", "form-check");
      var input = element("input", "form-check-input");
      input.type = "radio"; input.name = "object"; input.value = String(o.id); input.id = "krai-object-" + o.id;
      input.checked = checked;
      input.dataset.address = o.address;
      var label = element("label", "form-check-label", o.name + " · " + o.address +
                          (o.approved_floors ? " · " + o.approved_floors + " " + d.labelFloors : ""));
      label.htmlFor = input.id;
      if (o.metres !== undefined && o.metres !== null) {
        label.appendChild(document.createTextNode(" "));
        label.appendChild(element("span", "text-body-secondary small", o.metres + " " + d.labelMetres));
      }
      box.appendChild(input);
      box.appendChild(label);
      return box;
    }

    function showNearby(data) {
      var keep = checkedObject();
      var none = document.getElementById("krai-object-none").parentNode;
      var kept = keep ? objects.querySelector("input[name=object][value='" + keep + "']") : null;
      var keptBox = kept && !data.objects.some(function (o) { return String(o.id) === keep; }) ? kept.parentNode : null;
      Array.prototype.slice.call(objects.children).forEach(function (child) {
        if (child !== none && child !== keptBox) { objects.removeChild(child); }
      });
      nearLayer.clearLayers();
      data.objects.forEach(function (o) {
        objects.insertBefore(objectRadio(o, String(o.id) === keep), none);
        // a tooltip's string is read as HTML: the name goes in as text
        L.circleMarker([o.lat, o.lon], { radius: 7, color: "#0d6efd" })
          .bindTooltip(element("span", "", o.name)).addTo(nearLayer);
      });
      requests.innerHTML = "";
      data.requests.forEach(function (r) {
        var item = element("li");
        var link = element("a", "", "№ " + r.id + " · " + r.address);
        link.href = r.url;
        item.appendChild(link);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(element("span", "text-body-secondary", r.reason_label + " · " + r.metres + " " + d.labelMetres));
        requests.appendChild(item);
        L.circleMarker([r.lat, r.lon], { radius: 6, color: "#fd7e14" }).bindTooltip("№ " + r.id).addTo(nearLayer);
      });
      if (!data.requests.length) { requests.appendChild(element("li", "text-body-secondary", d.labelNoneNearby)); }
      hint.textContent = d.labelNearHint;
    }

    function nearby() {
      var a = parseFloat(lat.value), b = parseFloat(lon.value);
      if (!isFinite(a) || !isFinite(b)) { return; }
      var mine = ++nearAsked;
      getJson(d.nearbyUrl + "?lat=" + encodeURIComponent(a) + "&lon=" + encodeURIComponent(b))
        .then(function (data) { if (data && mine === nearAsked) { showNearby(data); } })
        .catch(function () { /* the form still files without the nearby list */ });
    }

    function reverse(a, b) {
      getJson(d.reverseUrl + "?lat=" + encodeURIComponent(a) + "&lon=" + encodeURIComponent(b))
        .then(function (data) { if (data && data.result) { address.value = data.result.label; } })
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
      place(r.lat, r.lon, r.kind === "house" ? 17 : 15);
      close();
      say(d.labelPlaced);
      nearby();
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
        var item = element("li", "list-group-item list-group-item-action", r.label);
        item.id = "krai-suggestion-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
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
      getJson(d.searchUrl + "?q=" + encodeURIComponent(text) + (d.municipality ? "&municipality=" + d.municipality : ""))
        .then(function (data) { if (mine === asked) { show((data && data.results) || []); } })
        .catch(function () { if (mine === asked) { close(); } });
    }

    address.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 250); });
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
      place(e.latlng.lat, e.latlng.lng, 0);
      reverse(lat.value, lon.value);
      nearby();
    });
    [lat, lon].forEach(function (input) {
      input.addEventListener("change", function () {
        var a = parseFloat(lat.value), b = parseFloat(lon.value);
        if (isFinite(a) && isFinite(b)) { place(a, b, 15); nearby(); }
      });
    });
    objects.addEventListener("change", function (e) {
      if (!e.target || e.target.name !== "object") { return; }
      if (e.target.value && !address.value.trim()) { address.value = e.target.dataset.address || ""; }
      if (e.target.value) { reason("differs"); } else if (document.querySelector("input[name=reason][value=differs]:checked")) { reason("missing"); }
    });

    if (navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        say(d.labelLocating);
        navigator.geolocation.getCurrentPosition(function (position) {
          var a = position.coords.latitude, b = position.coords.longitude;
          setPoint(a, b);
          place(a, b, 16);
          say(d.labelPlaced);
          reverse(lat.value, lon.value);
          nearby();
        }, function () { say(d.labelRefused); }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
      });
    }

    var a0 = parseFloat(lat.value), b0 = parseFloat(lon.value);
    if (isFinite(a0) && isFinite(b0)) { place(a0, b0, 16); nearby(); }
    el.dataset.ready = "1";
  }

  var found = document.getElementById("krai-requests-map");
  if (found) { listMap(found); }
  found = document.getElementById("krai-request-map");
  if (found) { requestForm(found); }
  found = document.getElementById("krai-request-point");
  if (found) { pointMap(found); }
})();
