{% load static %}/* Kiosk service worker: keeps the kiosk page, its style and script, so a tablet that reloads
   while the network is down still shows the faces (taps wait in the page's queue). */
const CACHE = "hailong-kiosk-v1";
const SHELL = ["{% url 'public:kiosk' %}", "{% static 'css/kiosk.css' %}", "{% static 'js/kiosk.js' %}", "{% static 'favicon.svg' %}"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((key) => key !== CACHE).map((key) => caches.delete(key)))).then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.url.includes("/kiosk/api/")) return;  // taps and config: network only
  // Network first, so an updated page or script is used as soon as it is reachable.
  event.respondWith(
    fetch(request).then((response) => {
      if (response.ok && SHELL.some((path) => request.url.endsWith(path))) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    }).catch(() => caches.match(request, { ignoreSearch: true }))
  );
});
