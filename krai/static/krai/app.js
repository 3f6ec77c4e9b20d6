// Krai as an installed app (krai/core/pwa.py): the service worker registered, and the offline queue of forms.
//
// A form marked data-krai-offline (a problem report, a quick task, a report on an assignment) that is sent without
// a connection is kept on the device (IndexedDB, its photos included) with an idempotency key, and sent when the
// connection is back; the server does a copy sent twice once (Idempotency-Key, krai/core/idempotency). A copy the
// server refuses stays on the device, shown with its reason, until the person sends it again or discards it.
(function () {
  "use strict";
  var body = document.body;
  var texts = body.dataset;
  var DB = "krai-offline";
  var STORE = "queue";

  if ("serviceWorker" in navigator && texts.kraiSw) {
    navigator.serviceWorker.register(texts.kraiSw, { scope: "/" }).catch(function () { /* the site works without */ });
  }

  // Signing out: the kept pages go with the session (the worker also clears them when it sees the sign-out).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-krai-logout]") && navigator.serviceWorker &&
        navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("krai-forget-pages");
    }
  });

  if (!("indexedDB" in window)) { return; }

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function store(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function all() { return store("readonly", function (s) { return s.getAll(); }); }
  function put(item) { return store("readwrite", function (s) { s.put(item); }); }
  function drop(key) { return store("readwrite", function (s) { s.delete(key); }); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return String(Date.now()) + "-" + Math.random().toString(16).slice(2);
  }

  // krai.js (loaded first) owns the page's message area
  function say(text, kind) { if (window.kraiMessage) { window.kraiMessage(text, kind); } }

  // The queue's state for the person: how many wait, how many were refused (each with its reason and a discard).
  function show() {
    return all().then(function (items) {
      var panel = document.getElementById("krai-offline-queue");
      if (!panel) {
        panel = document.createElement("section");
        panel.id = "krai-offline-queue";
        panel.className = "container";
        panel.setAttribute("aria-live", "polite");
        var main = document.getElementById("main");
        if (!main) { return; }
        main.prepend(panel);
      }
      panel.textContent = "";
      panel.hidden = !items.length;
      items.forEach(function (item) {
        var row = document.createElement("div");
        row.className = "alert " + (item.refused ? "alert-warning" : "alert-secondary") + " krai-offline-item mt-2";
        row.dataset.key = item.key;
        var what = document.createElement("span");
        what.textContent = (item.refused ? texts.kraiOfflineRefused : texts.kraiOfflineWaiting) + " " + item.title +
          (item.refused ? ": " + item.refused : "");
        row.appendChild(what);
        if (item.refused) {
          var discard = document.createElement("button");
          discard.type = "button";
          discard.className = "btn btn-sm btn-outline-secondary ms-2";
          discard.textContent = texts.kraiOfflineDiscard;
          discard.addEventListener("click", function () { drop(item.key).then(show); });
          row.appendChild(discard);
        }
        panel.appendChild(row);
      });
    });
  }

  function formData(item) {
    var data = new FormData();
    item.fields.forEach(function (field) {
      if (field.file) { data.append(field.name, field.file, field.fileName); } else { data.append(field.name, field.value); }
    });
    return data;
  }

  function reason(response) {
    return response.text().then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var errors = Array.prototype.map.call(page.querySelectorAll(".invalid-feedback, .errorlist, .alert-danger"),
        function (node) { return node.textContent.trim(); }).filter(Boolean);
      return errors.join(" ") || String(response.status);
    });
  }

  var sending = null;
  // Send what waits, oldest first; stop at the first network failure (the connection is not back yet). While a
  // sending runs, asking again answers that same sending.
  function flush() {
    if (sending) { return sending; }
    if (!navigator.onLine) { return Promise.resolve(); }
    sending = all().then(function (items) {
      items = items.filter(function (item) { return !item.refused; });
      items.sort(function (a, b) { return a.savedAt - b.savedAt; });
      var chain = Promise.resolve();
      var sent = 0;
      var stop = false;
      items.forEach(function (item) {
        chain = chain.then(function () {
          if (stop) { return; }
          return fetch(item.url, { method: "POST", body: formData(item), credentials: "same-origin",
                                   headers: { "Idempotency-Key": item.key, "X-CSRFToken": item.csrf } })
            .then(function (response) {
              var path = new URL(response.url, location.href).pathname;
              if (response.redirected && path.indexOf(texts.kraiLogin) === 0) {
                stop = true;  // signed out meanwhile: it waits until the person signs in again
                say(texts.kraiOfflineSignIn, "warning");
                return;
              }
              // done: a page's form answers with a redirect (a re-shown form means it was refused), the API with JSON
              var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
              if (response.ok && (response.redirected || json)) { sent += 1; return drop(item.key); }
              if (response.status === 409 || response.status === 429 || response.status >= 500) { stop = true; return; }
              return reason(response).then(function (why) { item.refused = why; return put(item); });
            }, function () { stop = true; });
        });
      });
      return chain.then(function () { if (sent) { say(texts.kraiOfflineSent.replace("%(n)s", sent), "success"); } });
    }).finally(function () { sending = null; return show(); });
    return sending;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-krai-offline]") || navigator.onLine) { return; }
    event.preventDefault();
    event.stopPropagation();  // caught first (capture): htmx's own sending of the form never starts
    var fields = [];
    var csrf = "";
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") { csrf = value; }
      if (value instanceof File) {
        if (value.size) { fields.push({ name: name, file: value, fileName: value.name }); }
      } else {
        fields.push({ name: name, value: value });
      }
    });
    var item = { key: newKey(), url: form.action || location.href, fields: fields, csrf: csrf,
                 title: form.dataset.kraiOffline || document.title, savedAt: Date.now() };
    put(item).then(function () {
      form.reset();
      say(texts.kraiOfflineKept, "info");
      return show();
    }, function () { say(texts.kraiOfflineFailed, "danger"); });
  }, true);

  window.kraiOffline = { flush: flush, show: show };  // for the page's own buttons and for the browser tests
  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", function () { show().then(flush); });
  if (document.readyState !== "loading") { show().then(flush); }
})();
