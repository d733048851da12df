/* The site's service worker (site/app.py): content-hashed assets cache-first, pages
   network-first with a 3 s timeout, and a kept page marked so that it says it is offline.
   Build {{ version }}: a new deploy is a new worker, installed on the next visit. */
"use strict";
var ASSETS = "assets", PAGES = "pages";
var MAX_ASSETS = 40, MAX_PAGES = 60, TIMEOUT_MS = 3000;  // no cache grows without bound

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/assets/") >= 0) { event.respondWith(cacheFirst(request)); return; }
  if (request.mode === "navigate") { event.respondWith(networkFirst(request, url)); }
});

function trim(cache, max) {  // the oldest entries go first: a page kept is put last when visited
  return cache.keys().then(function (keys) {
    return Promise.all(keys.slice(0, Math.max(0, keys.length - max)).map(function (k) { return cache.delete(k); }));
  });
}

function cacheFirst(request) {  // a content-hashed file never changes: the network only once
  return caches.open(ASSETS).then(function (cache) {
    return cache.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()).then(function () { trim(cache, MAX_ASSETS); }); }
        return response;
      });
    });
  });
}

function networkFirst(request, url) {  // the newest page when the network answers in time
  var key = url.origin + url.pathname;  // one copy a page, whatever its filters
  return caches.open(PAGES).then(function (cache) {
    var timer;
    var late = new Promise(function (_, reject) { timer = setTimeout(reject, TIMEOUT_MS); });
    // revalidated every time (a 304 when nothing changed): a new deploy shows on the next visit
    var network = fetch(request.url, { cache: "no-cache", credentials: "same-origin" }).then(function (response) {
      clearTimeout(timer);
      if (response.ok) {
        var copy = response.clone();
        cache.delete(key).then(function () { return cache.put(key, copy); }).then(function () { trim(cache, MAX_PAGES); });
      }
      return response;
    });
    return Promise.race([network, late]).catch(function () {
      return cache.match(key).then(function (kept) { return kept ? offline(kept) : network; });
    });
  });
}

function offline(kept) {  // the kept copy, marked: the page then says it is offline, and how old
  return kept.text().then(function (text) {
    return new Response(text.replace('<html lang="en"', '<html lang="en" data-offline="1"'), { headers: kept.headers });
  });
}
