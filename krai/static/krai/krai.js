// Krai: small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // One message area per page (``window.kraiMessage``), used by htmx failures here and by the app's offline queue
  // (app.js): a text in the page's .krai-messages box, made if the page has none.
  function kraiMessage(text, kind) {
    var box = document.querySelector(".krai-messages");
    if (!box) {
      box = document.createElement("div");
      box.className = "krai-messages";
      box.setAttribute("aria-live", "polite");
      var container = document.querySelector("#main .container");
      if (!container) { return; }
      container.prepend(box);
    }
    var alert = document.createElement("div");
    alert.className = "alert alert-" + (kind || "info");
    alert.setAttribute("role", kind === "danger" ? "alert" : "status");
    alert.textContent = text;
    box.appendChild(alert);
  }
  window.kraiMessage = kraiMessage;

  // htmx sends the CSRF token from the body's hx-headers (see base.html). When an htmx request fails,
  // say so in the page's message area instead of silently doing nothing.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    kraiMessage((document.body.dataset.kraiRequestFailed || "Request failed") +
      (xhr && xhr.status ? " (" + xhr.status + ")" : ""), "danger");
  });
})();
