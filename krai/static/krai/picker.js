// Krai: a search box over a long select (executors, units, people). The select stays in the form and keeps
// working without this script; with it, the user types and picks from what the select's endpoint answers
// (JSON {"results": [{id, label, depth}], "more"}), or — with data-krai-picker="local" — from its own options.
// A person's select narrows to the chosen unit.
(function () {
  "use strict";
  var seq = 0;

  function option(select, id, label) {
    var found = Array.prototype.find.call(select.options, function (o) { return o.value === String(id); });
    if (!found) { found = new Option(label, id); select.add(found); }
    return found;
  }

  function enhance(select) {
    if (select.dataset.kraiPickerReady) { return; }
    select.dataset.kraiPickerReady = "1";
    seq += 1;
    var box = document.createElement("div");
    box.className = "krai-picker position-relative";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control form-control-sm";
    input.id = (select.id || "krai-picker") + "-search";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    var list = document.createElement("ul");
    list.className = "krai-picker-list list-group position-absolute w-100 shadow-sm";
    list.id = "krai-picker-list-" + seq;
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    var chosen = document.createElement("div");
    chosen.className = "krai-picker-chosen d-flex flex-wrap gap-1 mt-1";
    var label = document.querySelector("label[for='" + select.id + "']");
    if (label) { label.htmlFor = input.id; }
    select.hidden = true;
    select.setAttribute("tabindex", "-1");
    select.parentNode.insertBefore(box, select);
    box.appendChild(input);
    box.appendChild(list);
    if (select.multiple) { box.appendChild(chosen); }
    var describedBy = select.getAttribute("aria-describedby");
    if (describedBy) { input.setAttribute("aria-describedby", describedBy); }

    function showChosen() {
      if (select.multiple) {
        chosen.textContent = "";
        Array.prototype.forEach.call(select.selectedOptions, function (o) {
          var chip = document.createElement("button");
          chip.type = "button";
          chip.className = "btn btn-sm btn-outline-secondary";
          chip.textContent = o.text + " ×";
          chip.addEventListener("click", function () { o.selected = false; showChosen(); });
          chosen.appendChild(chip);
        });
        input.value = "";
      } else {
        var o = select.selectedOptions[0];
        input.value = o && o.value ? o.text : "";
      }
    }

    function unitParam() {
      var unitId = select.dataset.kraiPickerUnit;
      var unit = unitId && document.getElementById(unitId);
      return unit && unit.value ? "&organisation=" + encodeURIComponent(unit.value) : "";
    }

    var timer = null, active = -1;
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; }
    function choose(item) {
      var o = option(select, item.id, item.label);
      o.selected = true;
      if (!select.multiple) { select.value = String(item.id); }
      select.dispatchEvent(new Event("change", {bubbles: true}));
      showChosen();
      close();
    }
    function render(data) {
      list.textContent = "";
      (data.results || []).forEach(function (item, i) {
        var li = document.createElement("li");
        li.className = "list-group-item list-group-item-action py-1 small";
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.style.paddingLeft = (0.75 + Math.min(item.depth || 0, 4)) + "rem";
        li.textContent = item.label;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
        li._item = item;
        list.appendChild(li);
      });
      if (!list.children.length || data.more) {
        var note = document.createElement("li");
        note.className = "list-group-item small text-body-secondary py-1";
        note.textContent = list.children.length ? (select.dataset.kraiPickerMore || "…") : (select.dataset.kraiPickerNone || "—");
        list.appendChild(note);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    // "local": a select whose options are all on the page (44 municipalities) is searched in place
    function localResults(query) {
      var needle = query.toLowerCase(), found = [];
      Array.prototype.forEach.call(select.options, function (o) {
        if (o.value && o.text.toLowerCase().indexOf(needle) !== -1) { found.push({id: o.value, label: o.text}); }
      });
      return {results: found.slice(0, 30), more: found.length > 30};
    }
    var asked = 0;
    function search() {
      if (select.dataset.kraiPicker === "local") { render(localResults(input.value.trim())); return; }
      var url = select.dataset.kraiPicker + "&q=" + encodeURIComponent(input.value.trim()) + unitParam();
      var mine = ++asked;  // an answer to an older question is dropped
      fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : {results: []}; })
        .then(function (data) { if (mine === asked) { render(data); } })
        .catch(function () { close(); });
    }
    function move(step) {
      var items = list.querySelectorAll("[role=option]");
      if (!items.length) { return; }
      active = (active + step + items.length) % items.length;
      items.forEach(function (li, i) { li.classList.toggle("active", i === active); });
      input.setAttribute("aria-activedescendant", items[active].id);
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (!select.multiple && !input.value) { select.value = ""; }
      timer = setTimeout(search, 200);
    });
    input.addEventListener("focus", search);
    input.addEventListener("blur", function () { setTimeout(function () { close(); if (!select.multiple) { showChosen(); } }, 150); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && !list.hidden) {
        var items = list.querySelectorAll("[role=option]");
        var pick = items[active >= 0 ? active : 0];
        if (pick) { event.preventDefault(); choose(pick._item); }
      }
    });
    // a person chosen for another unit no longer fits: clear him when the unit changes
    if (select.dataset.kraiPickerUnit) {
      document.addEventListener("change", function (event) {
        if (event.target.id === select.dataset.kraiPickerUnit && !select.multiple) { select.value = ""; showChosen(); }
      });
    }
    showChosen();
  }

  function init(root) {
    (root || document).querySelectorAll("select[data-krai-picker]").forEach(enhance);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
