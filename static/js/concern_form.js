// Narrow the enterprise list to the names containing what the user types.
(function () {
  "use strict";
  var search = document.querySelector(".js-enterprise-search");
  var select = document.querySelector(".js-enterprise-select");
  if (!search || !select) {
    return;
  }
  search.addEventListener("input", function () {
    var needle = search.value.trim();
    var firstMatch = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var match = !option.value || option.text.indexOf(needle) !== -1;
      option.hidden = !match;
      if (match && option.value && firstMatch === null) {
        firstMatch = option;
      }
    });
    if (needle && firstMatch && select.selectedOptions.length && select.selectedOptions[0].hidden) {
      firstMatch.selected = true;
    }
  });
})();
