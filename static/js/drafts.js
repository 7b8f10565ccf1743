/* Drafts kept in this browser (visit_form.js) belong to the user who typed them: keyed
   "visit-draft:<user id>:<visit>", removed at logout, and removed from any page of another
   user. A shared phone never shows the last user's workers' names and phones. An anonymous
   page (the login page after a session timed out) leaves them for their owner's return. */
(function () {
  "use strict";
  var PREFIX = "visit-draft:";
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  if (!store) { return; }

  function forget(keep) {
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0 && (!keep || key.indexOf(keep) !== 0)) { store.removeItem(key); }
    }
  }

  var owner = document.body.dataset.draftOwner;
  if (owner) { forget(PREFIX + owner + ":"); }
  /* At logout, once the submit is really going ahead: offline.js may hold it back to ask
     whether to leave visits unsent on the phone (a cadre who stays keeps the draft too), and
     then submits the form itself, calling OutreachDrafts.forget() first.
     Listening on the document, this runs after the form's own listeners have had their say. */
  document.addEventListener("submit", function (event) {
    if (event.target.id === "logout-form" && !event.defaultPrevented) { forget(null); }
  });
  window.OutreachDrafts = { forget: function () { forget(null); } };
})();
