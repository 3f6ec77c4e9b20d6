// Access management: "select everyone on this page" over the people list's checkboxes (the list works without it).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var all = document.getElementById("krai-people-all");
    if (!all) { return; }
    var picks = Array.prototype.slice.call(document.querySelectorAll(".krai-people-pick"));
    if (!picks.length) { return; }
    all.hidden = false;
    function sync() {
      var ticked = picks.filter(function (p) { return p.checked; }).length;
      all.checked = ticked === picks.length;
      all.indeterminate = ticked > 0 && ticked < picks.length;
    }
    all.addEventListener("change", function () {
      picks.forEach(function (p) { p.checked = all.checked; });
    });
    picks.forEach(function (p) { p.addEventListener("change", sync); });
    sync();
  });
})();
