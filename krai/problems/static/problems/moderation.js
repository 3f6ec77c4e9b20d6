// The moderation queue: one box ticks (or clears) every report on the page.
(function () {
  "use strict";
  var all = document.getElementById("krai-bulk-all");
  if (!all) return;
  var items = function () { return document.querySelectorAll(".krai-bulk-item"); };
  all.addEventListener("change", function () {
    items().forEach(function (box) { box.checked = all.checked; });
  });
  document.addEventListener("change", function (event) {
    if (!event.target.classList || !event.target.classList.contains("krai-bulk-item")) return;
    var boxes = Array.prototype.slice.call(items());
    all.checked = boxes.length > 0 && boxes.every(function (box) { return box.checked; });
  });
})();
