/* The visit form: directory facts of the chosen host (host_picker.js chooses it), more
   problems, and a local draft that survives a failed submit. No inline JS anywhere (strict
   CSP); the form works without it. */
(function () {
  "use strict";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  // After a successful save the detail page carries the keys of the drafts to forget.
  var saved = document.getElementById("visit-saved");
  if (saved && storage()) {
    saved.dataset.clearDrafts.split(" ").forEach(function (key) { storage().removeItem(key); });
  }

  var form = document.getElementById("visit-form");
  if (!form) { return; }

  var unionSelect = form.querySelector("[name=host_union]");
  var directory = document.getElementById("directory-check");

  /* ---- Local draft ---------------------------------------------------------------- */
  var draftKey = form.dataset.draftKey;
  var draftVersion = form.dataset.draftVersion;
  var SKIP = { csrfmiddlewaretoken: 1, version: 1, action: 1 };

  function draftable(el) {
    if (!el.name || SKIP[el.name] || el.type === "file" || el.type === "button" || el.type === "submit") { return false; }
    if (el.type === "hidden") { return /-TOTAL_FORMS$/.test(el.name) || el.hasAttribute("data-picker-type"); }
    return !el.closest("template");
  }

  function collect() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!draftable(el)) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        if (!values[el.name]) { values[el.name] = []; }
        if (el.checked) { values[el.name].push(el.value); }
      } else if (el.type === "select-multiple") {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
        if (el.hasAttribute("data-picker-type")) { values[el.name + "@label"] = el.dataset.label || ""; }
      }
    });
    return values;
  }

  function saveDraft() {
    var store = storage();
    if (!store || !draftKey) { return; }
    try {
      store.setItem(draftKey, JSON.stringify({ version: draftVersion, values: collect() }));
    } catch (e) { /* storage full or disabled: the server form still works */ }
  }

  function apply(values) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!draftable(el) || !(el.name in values)) { return; }
      var value = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
      } else if (el.type === "select-multiple") {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) !== -1; });
      } else if (el.type !== "hidden") {
        el.value = value;
      } else if (el.hasAttribute("data-picker-type")) {
        el.value = value;  // the host chosen, and the name the picker shows for it
        el.dataset.label = values[el.name + "@label"] || "";
      }
    });
  }

  function hasText(values) {
    return Object.keys(values).some(function (name) {
      var v = values[name];
      return typeof v === "string" && v.trim() !== "" && form.elements[name] && form.elements[name].tagName === "TEXTAREA";
    });
  }

  function restoreDraft() {
    var store = storage();
    if (!store || !draftKey || form.dataset.fresh !== "1") { return; }
    var raw = store.getItem(draftKey);
    if (!raw) { return; }
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { store.removeItem(draftKey); return; }
    if (!draft || draft.version !== draftVersion || !hasText(draft.values || {})) { return; }
    var total = parseInt(draft.values["concerns-TOTAL_FORMS"] || "0", 10);
    while (concernCount() < total && addConcern()) { /* make room for the problems typed */ }
    apply(draft.values);
    if (picker && picker.hostPicker) { picker.hostPicker.refresh(); }
    if (unionSelect) { showDirectory(!unionSelect.value); }
    var notice = document.getElementById("draft-restored");
    if (notice) {
      notice.classList.remove("d-none");
      document.getElementById("draft-discard").addEventListener("click", function () {
        store.removeItem(draftKey);
        window.location.reload();
      });
    }
  }

  /* ---- More problems -------------------------------------------------------------- */
  var totalInput = form.querySelector("[name=concerns-TOTAL_FORMS]");
  var maxInput = form.querySelector("[name=concerns-MAX_NUM_FORMS]");
  var emptyForm = document.getElementById("concern-empty-form");
  var addButton = document.getElementById("concern-add");

  function concernCount() { return totalInput ? parseInt(totalInput.value, 10) : 0; }

  function addConcern() {
    if (!totalInput || !emptyForm) { return false; }
    var n = concernCount();
    if (maxInput && n >= parseInt(maxInput.value, 10)) { return false; }
    var holder = document.createElement("div");
    holder.innerHTML = emptyForm.innerHTML.replace(/__prefix__/g, String(n));
    document.getElementById("concern-forms").appendChild(holder.firstElementChild);
    totalInput.value = String(n + 1);
    return true;
  }

  if (addButton) {
    addButton.classList.remove("d-none");
    addButton.addEventListener("click", function () { addConcern(); saveDraft(); });
  }

  /* ---- Host and its directory facts ---------------------------------------------- */
  var picker = document.getElementById("host-fieldset");

  function showDirectory(show) {
    if (directory) { directory.classList.toggle("d-none", !show); }
  }

  function setFacts(facts) {
    if (!facts) { return; }
    Object.keys(facts).forEach(function (name) {
      var el = form.querySelector("[name=dir-" + name + "]");
      if (!el) { return; }
      var value = facts[name];
      if (typeof value === "boolean") { value = value ? "true" : "false"; }
      el.value = value === null ? "" : String(value);
    });
  }

  if (picker) {
    picker.addEventListener("host-picked", function (event) {
      setFacts(event.detail.facts);
      showDirectory(event.detail.type === "enterprise");
      saveDraft();
    });
  }
  if (unionSelect) { showDirectory(!unionSelect.value); }

  /* For static/js/visit_offline.js: the form's values, and putting them back (a record of
     the outbox opened to be corrected). */
  form.visitForm = {
    collect: collect,
    restore: function (values) {
      var total = parseInt(values["concerns-TOTAL_FORMS"] || "0", 10);
      while (concernCount() < total && addConcern()) { /* room for the problems typed */ }
      apply(values);
      if (picker && picker.hostPicker) { picker.hostPicker.refresh(); }
      if (unionSelect) { showDirectory(!unionSelect.value); }
    },
    forgetDraft: function () {
      var store = storage();
      if (store && draftKey) { store.removeItem(draftKey); }
    }
  };

  restoreDraft();
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);
})();
