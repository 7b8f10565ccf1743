/* One way to choose a host (a federation or an enterprise union): type a few characters, tap
   the match. Turns every [data-host-picker] block into a search box over the host search
   endpoint. The choice is carried by its [data-picker-type] fields: selects, which stay in
   the form, hidden, so that it also works without JavaScript; or hidden inputs, whose
   data-label names the host chosen (the visit form: no list of the whole directory in the
   page). Emits "host-picked" with the result. */
(function () {
  "use strict";

  function enhance(picker) {
    var search = picker.querySelector("[data-picker-search]");
    var input = picker.querySelector("[data-picker-input]");
    var results = picker.querySelector("[data-picker-results]");
    var chosen = picker.querySelector("[data-picker-chosen]");
    var chosenLabel = picker.querySelector("[data-picker-chosen-label]");
    var empty = picker.querySelector("[data-picker-empty]");
    var selectsBox = picker.querySelector("[data-picker-selects]");
    var selects = {};
    Array.prototype.forEach.call(picker.querySelectorAll("[data-picker-type]"), function (field) {
      selects[field.dataset.pickerType] = field;
    });
    if (!search || !input) { return; }
    var timer = null;

    function chosenSelect() {
      var found = null;
      Object.keys(selects).forEach(function (type) { if (!found && selects[type].value) { found = selects[type]; } });
      return found;
    }

    function showChosen(text) {
      chosenLabel.textContent = text;
      chosen.classList.toggle("d-none", !text);
    }

    function labelOf(field) {
      if (field.tagName === "SELECT") { return field.options[field.selectedIndex].text; }
      return field.dataset.label || "";
    }

    function refresh() {
      var current = chosenSelect();
      showChosen(current ? labelOf(current) : "");
    }

    function choose(type, id, text) {
      Object.keys(selects).forEach(function (other) {
        var select = selects[other];
        var value = other === type ? String(id) : "";
        if (select.tagName === "SELECT") {
          var exists = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
          if (value && !exists) { select.add(new Option(text, value)); }
        } else {
          select.dataset.label = value ? text : "";
        }
        select.value = value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      });
      showChosen(type ? text : "");
    }

    function pick(result) {
      choose(result.type, result.id, result.town ? result.label + " · " + result.town : result.label);
      results.textContent = "";
      input.value = "";
      picker.dispatchEvent(new CustomEvent("host-picked", { bubbles: true, detail: result }));
    }

    function render(list) {
      results.textContent = "";
      empty.classList.toggle("d-none", list.length > 0 || input.value.trim() === "");
      list.forEach(function (result) {
        var item = document.createElement("button");
        item.type = "button";
        item.className = "list-group-item list-group-item-action py-3";
        item.setAttribute("role", "option");
        var name = document.createElement("div");
        name.className = "fw-semibold";
        name.textContent = result.label;
        item.appendChild(name);
        if (result.town || result.mine) {
          var meta = document.createElement("div");
          meta.className = "small text-muted";
          meta.textContent = [result.town, result.mine ? "★" : ""].filter(Boolean).join(" ");
          item.appendChild(meta);
        }
        item.addEventListener("click", function () { pick(result); });
        results.appendChild(item);
      });
    }

    function lookup() {
      var url = picker.dataset.url + (picker.dataset.url.indexOf("?") === -1 ? "?" : "&") +
        "q=" + encodeURIComponent(input.value.trim());
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { render(data.results || []); })
        .catch(function () { render([]); });
    }

    search.classList.remove("d-none");
    if (selectsBox) {
      selectsBox.classList.add("d-none");
      // The server's messages about the host (outside the district, none chosen) are shown by
      // the search box: the hidden selects are not a second way to choose.
      var errors = picker.querySelector("[data-picker-errors]");
      Array.prototype.forEach.call(selectsBox.querySelectorAll(".invalid-feedback"), function (feedback) {
        var line = document.createElement("div");
        line.className = "small text-danger";
        line.textContent = feedback.textContent.trim();
        errors.appendChild(line);
      });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 250);
    });
    input.addEventListener("focus", function () { if (!input.value) { lookup(); } });
    var clear = picker.querySelector("[data-picker-clear]");
    if (clear) { clear.addEventListener("click", function () { choose("", "", ""); }); }
    picker.hostPicker = { refresh: refresh };
    refresh();
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-host-picker]"), enhance);
})();
