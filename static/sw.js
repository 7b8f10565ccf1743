/* The offline app's service worker, served at /sw.js (config.views.service_worker).

   It keeps, for the user logged in, the app shell: the home page, my month, the visit form,
   the outbox, the static files they use, and the cadre's own hosts (api:offline-hosts). With
   no connection, these pages open from the cache and the host search answers from the hosts
   kept. Pages are fetched from the server first whenever it answers; the static files (whose
   names change with their content) from the cache first. Nothing else is kept: other pages,
   the API's answers and every POST go to the server as if there were no service worker.
   The personal cache is emptied by static/js/offline.js at logout and when another user logs
   in on the same phone. */
"use strict";

var STATIC = "outreach-static-v1";
var PAGES = "outreach-pages";
var HOSTS_URL = "/api/v1/offline/hosts/";
var HOST_SEARCH = "/outreach/visits/hosts/";
var OUTBOX = "/outreach/outbox/";
var OFFLINE_PAGES = ["/", "/outreach/my-month/", "/outreach/visits/new/", OUTBOX];
var NETWORK_WAIT_MS = 4000; // a weak signal: the cached page rather than a long wait

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("outreach-static-") === 0 && name !== STATIC;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function cacheable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

function fromStatic(request) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request).then(function (hit) {
      if (hit) { return hit; }
      return fetch(request).then(function (response) {
        if (cacheable(response)) { cache.put(request, response.clone()); }
        return response;
      });
    });
  });
}

/* The server's answer when it comes within NETWORK_WAIT_MS (kept under `key` when it is a
   page worth keeping), else the copy kept; the copy kept too when the network fails. */
function networkFirst(request, key, keep) {
  return caches.open(PAGES).then(function (cache) {
    var network = fetch(request).then(function (response) {
      if (keep && cacheable(response)) { cache.put(key, response.clone()); }
      return response;
    });
    return new Promise(function (resolve, reject) {
      var settled = false;
      function fallback(error) {
        cache.match(key).then(function (hit) {
          if (hit && !settled) { settled = true; resolve(hit); } else if (error && !settled) { settled = true; reject(error); }
        });
      }
      var timer = setTimeout(function () { fallback(null); }, NETWORK_WAIT_MS);
      network.then(function (response) {
        clearTimeout(timer);
        if (!settled) { settled = true; resolve(response); }
      }, function (error) {
        clearTimeout(timer);
        fallback(error);
      });
    });
  });
}

function offlinePage(request, url) {
  var kept = OFFLINE_PAGES.indexOf(url.pathname) !== -1;
  // A form opened with a preset (?date=…, ?outbox=…) is the same page: kept without it.
  var answer = kept ? networkFirst(request, url.pathname, !url.search) : fetch(request);
  return answer.catch(function () {
    // Another page, or one never opened online: the outbox says what can be done offline.
    return caches.open(PAGES).then(function (cache) { return cache.match(OUTBOX); }).then(function (hit) {
      return hit || Response.error();
    });
  });
}

function matches(label, q) { return label.toLowerCase().indexOf(q) !== -1; }

/* The host search (outreach.views.hosts.visit_host_search) answered from the hosts kept:
   the same choice, order and shape. */
function hostSearch(request, url) {
  return fetch(request).catch(function () {
    return caches.open(PAGES).then(function (cache) { return cache.match(HOSTS_URL); }).then(function (hit) {
      return hit ? hit.json() : { unions: [], enterprises: [] };
    }).then(function (hosts) {
      var q = (url.searchParams.get("q") || "").trim().toLowerCase().slice(0, 50);
      var pick = function (host) { return q ? matches(host.label, q) : host.mine; };
      var unions = url.searchParams.get("type") === "enterprise" ? [] : hosts.unions.filter(pick).slice(0, 5);
      var results = unions.map(function (u) {
        return { type: "union", id: u.id, label: u.label, town: "", mine: u.mine };
      }).concat(hosts.enterprises.filter(pick).slice(0, 15).map(function (e) {
        return { type: "enterprise", id: e.id, label: e.label, town: e.town, mine: e.mine, facts: e.facts };
      }));
      return new Response(JSON.stringify({ results: results }), {
        headers: { "Content-Type": "application/json" }
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(fromStatic(request));
  } else if (url.pathname === HOST_SEARCH) {
    event.respondWith(hostSearch(request, url));
  } else if (url.pathname === HOSTS_URL) {
    event.respondWith(networkFirst(request, HOSTS_URL, true));
  } else if (request.mode === "navigate") {
    event.respondWith(offlinePage(request, url));
  }
});

/* Keep the app shell and the hosts for the user logged in (asked by offline.js once a page of
   theirs has loaded), with the static files the pages use. */
function warm() {
  return caches.open(PAGES).then(function (cache) {
    return Promise.all(OFFLINE_PAGES.concat([HOSTS_URL]).map(function (path) {
      return fetch(path, { credentials: "same-origin" }).then(function (response) {
        if (!cacheable(response)) { return null; }
        return cache.put(path, response.clone()).then(function () {
          return path === HOSTS_URL ? null : response.text();
        });
      });
    }));
  }).then(function (pages) {
    var assets = {};
    pages.forEach(function (html) {
      if (!html) { return; }
      var found, pattern = /(?:href|src)="(\/static\/[^"]+)"/g;
      while ((found = pattern.exec(html)) !== null) { assets[found[1].replace(/&amp;/g, "&")] = true; }
    });
    return Promise.all(Object.keys(assets).map(function (path) { return fromStatic(new Request(path)); }));
  });
}

self.addEventListener("message", function (event) {
  var reply = function (answer) { if (event.ports[0]) { event.ports[0].postMessage(answer); } };
  var type = event.data && event.data.type;
  var work = null;
  if (type === "warm") {
    work = warm();
  } else if (type === "clear") {
    work = caches.delete(PAGES);
  } else if (type === "claim") {
    work = self.clients.claim();  // a page opened while the worker was still being installed
  }
  if (work) {
    event.waitUntil(work.then(function () { reply({ ok: true }); }, function (error) {
      reply({ ok: false, error: String(error) });
    }));
  }
});
