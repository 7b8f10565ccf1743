/* The offline app, on every page of a logged-in user: registers the service worker (/sw.js)
   and asks it to keep the app shell for this user; keeps the outbox (IndexedDB) of visits
   recorded without a connection; sends it, in order, when the connection returns and on
   demand (OutreachOffline.sync); empties this user's offline data at logout.

   Exactly once: each visit carries the client id generated when it was saved here, and the
   API's create is idempotent by it (a retry after a lost answer returns the visit already
   made); each photo has its own client id and goes in pieces that resume where the server's
   copy ends. A record the server refuses stays here with the server's message. */
(function () {
  "use strict";

  var owner = document.body.dataset.draftOwner;
  var texts = document.getElementById("offline-texts");
  if (!owner || !texts || !window.indexedDB) { return; }
  var T = texts.dataset;
  var VISITS_URL = "/api/v1/visits/";
  var CHUNK = 256 * 1024;
  var WARM_EVERY_MS = 30 * 60 * 1000;

  /* ---- The outbox: IndexedDB "outreach-offline", store "outbox" keyed by the client id ---- */
  var dbPromise = null;

  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var open = indexedDB.open("outreach-offline", 1);
        open.onupgradeneeded = function () {
          var store = open.result.createObjectStore("outbox", { keyPath: "uuid" });
          store.createIndex("owner", "owner");
        };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }

  function tx(mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var transaction = database.transaction("outbox", mode);
        var result = work(transaction.objectStore("outbox"));
        transaction.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function list() {
    return tx("readonly", function (store) { return store.index("owner").getAll(owner); }).then(function (rows) {
      return rows.sort(function (a, b) { return a.created - b.created; });
    });
  }

  function get(uuid) {
    return tx("readonly", function (store) { return store.get(uuid); }).then(function (row) {
      return row && row.owner === owner ? row : null;
    });
  }

  function changed() { document.dispatchEvent(new CustomEvent("outbox-changed")); }

  function put(record) {
    record.owner = owner;
    return tx("readwrite", function (store) { store.put(record); }).then(function () { changed(); return record; });
  }

  function remove(uuid) {
    return tx("readwrite", function (store) { store.delete(uuid); }).then(changed);
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  /* ---- Sending ------------------------------------------------------------------------ */
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function Offline(message) { this.message = message; }  // no answer: try again later
  function Refused(message) { this.message = message; }  // the server said no: the user decides

  function messages(value, out) {
    if (typeof value === "string") { out.push(value); }
    else if (Array.isArray(value)) { value.forEach(function (v) { messages(v, out); }); }
    else if (value && typeof value === "object") { Object.keys(value).forEach(function (k) { messages(value[k], out); }); }
    return out;
  }

  function call(url, options) {
    options.credentials = "same-origin";
    options.headers = Object.assign({ Accept: "application/json", "X-CSRFToken": csrfToken() }, options.headers || {});
    return fetch(url, options).catch(function () { throw new Offline(T.waiting); }).then(function (response) {
      if (response.status === 401 || response.redirected) { throw new Offline(T.loginAgain); }
      if (response.status >= 500 || response.status === 429) { throw new Offline(T.waiting); }
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) {
          var found = messages(body.errors || {}, []);
          throw new Refused(found.length ? found.join("；") : (body.detail || String(response.status)));
        }
        return body;
      });
    });
  }

  function sendVisit(record) {
    if (record.visit) { return Promise.resolve(record); }
    var payload = Object.assign({}, record.payload, { client_uuid: record.uuid });
    return call(VISITS_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload)
    }).then(function (visit) {
      record.visit = visit.id;
      return put(record);
    });
  }

  function sendPhoto(record, photo) {
    var url = VISITS_URL + record.visit + "/photos/";
    function from(state) {
      if (state.photo) { return null; }
      var offset = state.received || 0;
      var body = new FormData();
      body.append("client_uuid", photo.uuid);
      body.append("offset", String(offset));
      body.append("size", String(photo.blob.size));
      body.append("chunk", photo.blob.slice(offset, offset + CHUNK), photo.name);
      return call(url, { method: "POST", body: body }).then(from);
    }
    return call(url + "?client_uuid=" + encodeURIComponent(photo.uuid), { method: "GET" }).then(from).then(function () {
      photo.done = true;
      photo.blob = null;  // on the server now: the phone's copy is not needed any more
      return put(record);
    });
  }

  function sendRecord(record) {
    return sendVisit(record).then(function () {
      var chain = Promise.resolve();
      record.photos.forEach(function (photo) {
        chain = chain.then(function () { return photo.done ? null : sendPhoto(record, photo); });
      });
      return chain;
    }).then(function () { return remove(record.uuid); });
  }

  var running = null;

  function syncNow() {
    return list().then(function (records) {
      var chain = Promise.resolve();
      records.forEach(function (record) {
        chain = chain.then(function () {
          if (record.state === "refused") { return null; }
          return sendRecord(record).catch(function (problem) {
            if (problem instanceof Refused) {
              record.state = "refused";
              record.message = problem.message;
              return put(record);
            }
            throw problem;
          });
        });
      });
      return chain;
    });
  }

  /* Sends what waits, oldest first; one run at a time, across this browser's tabs. Resolves
     with null when everything that could go went, or the reason it stopped. */
  function sync() {
    if (running) { return running; }
    var run = function () { return syncNow(); };
    var locked = navigator.locks ? navigator.locks.request("outreach-outbox", run) : run();
    running = locked.then(function () { return null; }, function (problem) {
      if (problem instanceof Offline) { return problem.message; }
      throw problem;
    }).then(function (stopped) {
      running = null;
      document.dispatchEvent(new CustomEvent("outbox-synced", { detail: { stopped: stopped } }));
      return stopped;
    }, function (error) {
      running = null;
      changed();
      throw error;
    });
    return running;
  }

  /* ---- The service worker and the app shell kept for this user ------------------------- */
  var store = null;
  try { store = window.localStorage; } catch (e) { /* private mode: no throttling */ }

  function ask(type) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data); };
        registration.active.postMessage({ type: type }, [channel.port2]);
      });
    });
  }

  function ready() { document.documentElement.dataset.offlineReady = "1"; }

  function setUp() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* plain site */ });
    if (!navigator.onLine) { navigator.serviceWorker.ready.then(ready, ready); return; }
    var previous = store && store.getItem("offline-owner");
    var warmedAt = store ? parseInt(store.getItem("offline-warmed") || "0", 10) : 0;
    var work = Promise.resolve();
    if (previous && previous !== owner) {
      work = ask("clear");  // another user's pages: gone before this user's are kept
    }
    if (previous !== owner || Date.now() - warmedAt > WARM_EVERY_MS) {
      work = work.then(function () { return ask("warm"); }).then(function (answer) {
        if (answer && answer.ok && store) {
          store.setItem("offline-owner", owner);
          store.setItem("offline-warmed", String(Date.now()));
        }
      });
    }
    work.then(function () {
      return navigator.serviceWorker.controller ? null : ask("claim");
    }).then(ready, ready);
  }

  /* ---- Logout: this user's offline data goes, once nothing waits to be sent ------------ */
  function guardLogout() {
    var logout = document.getElementById("logout-form");
    if (!logout) { return; }
    var confirmed = false;
    function leave() {  /* a programmatic submit fires no submit event: drafts.js is told here */
      if (window.OutreachDrafts) { window.OutreachDrafts.forget(); }
      confirmed = true;
      logout.submit();
    }
    logout.addEventListener("submit", function (event) {
      if (confirmed) { return; }
      event.preventDefault();
      list().then(function (records) {
        if (records.length && !window.confirm(T.logoutWarning.replace("{n}", String(records.length)))) { return; }
        var clear = "serviceWorker" in navigator && navigator.serviceWorker.controller ? ask("clear") : Promise.resolve();
        return clear.then(function () {
          if (store) { store.removeItem("offline-owner"); store.removeItem("offline-warmed"); }
          leave();
        });
      }).catch(leave);
    });
  }

  /* ---- The menu's outbox link shows how many wait ----------------------------------- */
  function showCount() {
    var badge = document.getElementById("outbox-count");
    if (!badge) { return; }
    list().then(function (records) {
      badge.textContent = records.length ? String(records.length) : "";
      badge.classList.toggle("d-none", !records.length);
    });
  }

  window.OutreachOffline = { list: list, get: get, put: put, remove: remove, newId: newId, sync: sync, texts: T };

  document.addEventListener("outbox-changed", showCount);
  window.addEventListener("online", function () { sync(); });
  setUp();
  guardLogout();
  showCount();
  if (navigator.onLine) { sync(); }
})();
