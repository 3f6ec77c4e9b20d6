// Krai: small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // htmx sends the CSRF token from the body's hx-headers (see base.html). When an htmx request fails,
  // say so in the page's message area instead of silently doing nothing.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
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
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    alert.textContent = (document.body.dataset.kraiRequestFailed || "Request failed") +
      (xhr && xhr.status ? " (" + xhr.status + ")" : "");
    box.appendChild(alert);
  });
})();
