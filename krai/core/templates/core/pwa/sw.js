{% autoescape off %}// Krai's service worker (krai/core/pwa.py): the app's shell kept, pages opened online readable offline, pushes shown.
"use strict";
const VERSION = "{{ version }}";
const SHELL = {{ shell }};
const OFFLINE = {{ offline }};
const NEVER_KEPT = {{ never_kept }};
const LOGOUT = {{ logout }};
const SHELL_CACHE = "krai-shell-" + VERSION;
const PAGES_CACHE = "krai-pages";
const STATIC_CACHE = "krai-static";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys
    .filter((key) => key.startsWith("krai-shell-") && key !== SHELL_CACHE)
    .map((key) => caches.delete(key)))).then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  if (event.data === "krai-forget-pages") { event.waitUntil(caches.delete(PAGES_CACHE)); }
});

function kept(url) {
  return !NEVER_KEPT.some((prefix) => url.pathname.startsWith(prefix));
}

async function page(request) {
  const url = new URL(request.url);
  if (url.pathname.startsWith(LOGOUT)) {
    await caches.delete(PAGES_CACHE);  // a person signing out leaves nothing of his on the device
    return fetch(request);
  }
  try {
    const response = await fetch(request);
    const noStore = (response.headers.get("Cache-Control") || "").includes("no-store");
    if (response.ok && !response.redirected && !noStore && kept(url)) {
      const cache = await caches.open(PAGES_CACHE);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await caches.match(request, { ignoreVary: true });
    return cached || (await caches.match(OFFLINE)) || Response.error();
  }
}

async function asset(request) {
  const cached = await caches.match(request);
  if (cached) { return cached; }
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(STATIC_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (SHELL.includes(url.pathname) || url.pathname.startsWith("/static/")) {
    event.respondWith(asset(request));  // static files have hashed names: a name never changes its content
  }
});

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = { body: event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || "Krai", {
    body: data.body || "", tag: data.tag || undefined, data: { url: data.url || "/" },
    icon: SHELL.find((name) => name.includes("icon-192")),
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(self.clients.matchAll({ type: "window" }).then((windows) => {
    const open = windows.find((client) => new URL(client.url).pathname === target);
    return open ? open.focus() : self.clients.openWindow(target);
  }));
});
{% endautoescape %}
