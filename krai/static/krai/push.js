// The devices page of both faces (notifications/devices.html): subscribe this browser to the person's web push (asks
// permission, subscribes with the server's VAPID key, posts the subscription to the page), or stop it here (the
// browser unsubscribes, then the row's own remove form is posted). The list and its remove buttons work without it.
(function () {
  "use strict";

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("krai-push");
    if (!root) { return; }
    var status = document.getElementById("krai-push-status");
    var on = document.getElementById("krai-push-subscribe");
    var off = document.getElementById("krai-push-unsubscribe");
    var data = root.dataset;

    function say(text) { status.textContent = text || ""; }

    if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
      say(data.textUnsupported);
      return;
    }

    function rowOf(endpoint) {
      var rows = document.querySelectorAll("#krai-push-devices-list [data-endpoint]");
      for (var i = 0; i < rows.length; i++) {
        if (rows[i].getAttribute("data-endpoint") === endpoint) { return rows[i]; }
      }
      return null;
    }

    function registration() {
      return navigator.serviceWorker.register(data.swUrl, { scope: data.swScope });
    }

    function show(subscription) {
      var row = subscription ? rowOf(subscription.endpoint) : null;
      on.hidden = Boolean(row);
      off.hidden = !row;
      if (row) {
        row.querySelector(".krai-push-this-badge").hidden = false;
        say(data.textOn);
      }
    }

    function post(url, fields) {
      var body = new URLSearchParams();
      Object.keys(fields || {}).forEach(function (name) { body.append(name, fields[name] || ""); });
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": data.csrf },
        body: body
      }).then(function (answer) {
        if (!answer.ok) { throw new Error("HTTP " + answer.status); }
        return answer;
      });
    }

    registration().then(function (reg) { return reg.pushManager.getSubscription(); })
      .then(show).catch(function () { on.hidden = false; });

    on.addEventListener("click", function () {
      on.disabled = true;
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") { throw new Error("denied"); }
        return registration();
      }).then(function (reg) {
        return reg.pushManager.getSubscription().then(function (existing) {
          return existing || reg.pushManager.subscribe({
            userVisibleOnly: true, applicationServerKey: keyBytes(data.publicKey)
          });
        });
      }).then(function (subscription) {
        var json = subscription.toJSON();
        var keys = json.keys || {};
        return post(data.subscribeUrl, { endpoint: json.endpoint, p256dh: keys.p256dh, auth: keys.auth,
                                         user_agent: navigator.userAgent });
      }).then(function () {
        window.location.reload();
      }).catch(function (error) {
        on.disabled = false;
        say(error && error.message === "denied" ? data.textDenied : data.textFailed);
      });
    });

    off.addEventListener("click", function () {
      off.disabled = true;
      registration().then(function (reg) { return reg.pushManager.getSubscription(); })
        .then(function (subscription) {
          if (!subscription) { return null; }
          var row = rowOf(subscription.endpoint);
          return subscription.unsubscribe().then(function () {
            var form = row ? row.querySelector("form.krai-push-remove") : null;
            return form ? post(form.getAttribute("action"), {}) : null;
          });
        }).then(function () {
          window.location.reload();
        }).catch(function () {
          off.disabled = false;
          say(data.textFailed);
        });
    });
  });
})();
