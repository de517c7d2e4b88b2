/* niangjia: the service worker of the visit pages (served at /outreach/sw.js, scope /outreach/).
 *
 * The visit form asks it to keep the form page, its CSS and JavaScript and the campaign's offline list.
 * Static files are answered from the cache first; the page and the offline list from the network first,
 * from the cache when there is no network. Only GET requests are touched: a visit is always sent by the
 * page itself, which queues it in IndexedDB while offline.
 */
"use strict";
var CACHE = "niangjia-visits-v1";

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("niangjia-visits-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "cache" || !Array.isArray(data.urls)) { return; }
  var port = event.ports && event.ports[0];
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    // One at a time: the server sees the phone's requests in a row, never a burst.
    return data.urls.slice(0, 50).reduce(function (chain, url) {
      return chain.then(function () {
        return fetch(url, {credentials: "same-origin"}).then(function (response) {
          if (response.ok && !response.redirected) { return cache.put(url, response); }
          return null;
        }).catch(function () { return null; });
      });
    }, Promise.resolve());
  }).then(function () { if (port) { port.postMessage({type: "cached"}); } }));
});

function fromNetwork(request) {
  return fetch(request).then(function (response) {
    if (response.ok && response.type === "basic" && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request).then(function (hit) {
      if (!hit) {
        return new Response("离线：该页面尚未保存到本机。", {status: 503, headers: {"Content-Type": "text/plain; charset=utf-8"}});
      }
      // Tell the page that this came from the phone, not the server: the network is down.
      var headers = new Headers(hit.headers);
      headers.set("X-Niangjia-Offline", "1");
      return hit.blob().then(function (body) { return new Response(body, {status: hit.status, headers: headers}); });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fromNetwork(request); }));
    return;
  }
  if (url.pathname.indexOf("/outreach/visits/record/") === 0 || url.pathname === "/api/outreach/visits/targets") {
    event.respondWith(fromNetwork(request));
  }
});
