/* The outbox page: what waits on this phone (static/js/offline.js keeps and sends it). */
(function () {
  "use strict";

  var offline = window.OutreachOffline;
  var listEl = document.getElementById("outbox-list");
  if (!offline || !listEl) { return; }
  var T = offline.texts;
  var item = document.getElementById("outbox-item");
  var empty = document.getElementById("outbox-empty");
  var status = document.getElementById("outbox-status");
  var sendButton = document.getElementById("outbox-send");

  var flash = null;
  try {
    flash = window.sessionStorage.getItem("outbox-flash");
    window.sessionStorage.removeItem("outbox-flash");
  } catch (e) { /* no flash */ }
  if (flash) {
    var flashEl = document.getElementById("outbox-flash");
    flashEl.textContent = flash;
    flashEl.classList.remove("d-none");
  }

  function count(text, n) { return text.replace("{n}", String(n)); }

  function row(record) {
    var node = item.content.firstElementChild.cloneNode(true);
    var s = record.summary || {};
    node.dataset.uuid = record.uuid;
    node.querySelector(".outbox-title").textContent = [s.date, s.kind, s.host].filter(Boolean).join(" · ");
    var concerns = (record.payload && record.payload.concerns) || [];
    node.querySelector(".outbox-meta").textContent = [count(T.photos, record.photos.length), count(T.problems, concerns.length)].join(" · ");
    var state = node.querySelector(".outbox-state");
    var refused = record.state === "refused";
    state.textContent = refused ? T.refused : T.saved;
    state.classList.add(refused ? "text-bg-danger" : "text-bg-warning");
    node.querySelector(".outbox-message").textContent = refused ? record.message : "";
    var edit = node.querySelector(".outbox-edit");
    if (record.visit) {
      edit.remove();  // the visit is on the server already: only its photos wait
    } else {
      edit.href = edit.getAttribute("href") + "?outbox=" + encodeURIComponent(record.uuid);
    }
    node.querySelector(".outbox-discard").addEventListener("click", function () {
      if (window.confirm(T.discard)) { offline.remove(record.uuid); }
    });
    return node;
  }

  function render() {
    offline.list().then(function (records) {
      listEl.textContent = "";
      records.forEach(function (record) { listEl.appendChild(row(record)); });
      empty.classList.toggle("d-none", records.length > 0);
      sendButton.classList.toggle("d-none", records.length === 0);
    });
  }

  sendButton.addEventListener("click", function () {
    status.textContent = T.sending;
    offline.list().then(function (records) {
      // Sending on demand tries the refused ones again too (corrected, or the cause gone).
      return Promise.all(records.filter(function (r) { return r.state === "refused"; }).map(function (r) {
        r.state = "waiting";
        return offline.put(r);
      }));
    }).then(offline.sync);
  });

  // After each run (on demand, when the connection returns, when a page opens online).
  document.addEventListener("outbox-synced", function (event) {
    offline.list().then(function (records) {
      status.textContent = event.detail.stopped || (records.length ? "" : T.allSent);
      render();
    });
  });
  document.addEventListener("outbox-changed", render);
  render();
})();
