// The planner's feed page: the "Copy" button beside the new feed address (kept out of the page: no inline scripts).
(function () {
  "use strict";
  document.querySelectorAll("[data-krai-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-krai-copy"));
      if (!field) { return; }
      var done = function () {
        button.textContent = button.getAttribute("data-krai-copied") || button.textContent;
      };
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
})();
