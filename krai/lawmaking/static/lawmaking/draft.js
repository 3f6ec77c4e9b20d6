/* The draft's page, progressively enhanced: selecting words inside a provision's text fills the "passage" field
   of that provision's comment and amendment forms (the forms work without this script: the passage is a text
   field one may fill by hand). Loaded as a file — the Content-Security-Policy forbids inline scripts. */
(function () {
  "use strict";
  var draft = document.querySelector("[data-krai-draft]");
  if (!draft) { return; }

  function provisionOf(node) {
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    return element ? element.closest(".krai-provision") : null;
  }

  function fill() {
    var selection = window.getSelection ? window.getSelection() : null;
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) { return; }
    var text = selection.toString().replace(/\s+/g, " ").trim();
    if (!text || text.length > 2000) { return; }
    var start = provisionOf(selection.anchorNode), end = provisionOf(selection.focusNode);
    if (!start || start !== end) { return; }  // a passage belongs to one provision
    var inText = selection.anchorNode.parentElement && selection.anchorNode.parentElement.closest("[data-krai-text]");
    if (!inText) { return; }
    var label = inText.querySelector(".fw-semibold");
    if (label && text.indexOf(label.textContent.trim() + " ") === 0) {  // the number is not part of the passage
      text = text.slice(label.textContent.trim().length + 1);
    }
    start.querySelectorAll("input[data-krai-quote]").forEach(function (input) { input.value = text; });
    var forms = start.querySelector(".krai-provision-forms details");
    if (forms && !forms.open) { forms.open = true; }
  }

  draft.addEventListener("mouseup", fill);
  draft.addEventListener("keyup", function (event) { if (event.shiftKey) { fill(); } });
  draft.addEventListener("touchend", function () { window.setTimeout(fill, 0); });
})();
