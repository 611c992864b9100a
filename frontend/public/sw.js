// The app shell for offline use: index.html and every hashed asset of the build are kept on the
// device, so a tablet that lost its connection still opens the app and every screen (what it
// entered waits in IndexedDB).
// API requests are never cached here.
const CACHE = 'papi-shell-v2'

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE)
      const res = await fetch('/', { cache: 'no-store' })
      if (res.ok) {
        const html = await res.clone().text()
        await cache.put('/', res)
        const assets = new Set(html.match(/\/assets\/[^"'()\s]+/g) || [])
        // The screens that load when first opened are kept too (assets.json lists the build).
        const list = await fetch('/assets.json', { cache: 'no-store' })
        if (list.ok) for (const a of await list.json()) assets.add(a)
        await cache.addAll([...assets, '/favicon.svg'])
      }
      await self.skipWaiting()
    })(),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key)
      await self.clients.claim()
    })(),
  )
})

self.addEventListener('fetch', (event) => {
  const req = event.request
  if (req.method !== 'GET') return
  const url = new URL(req.url)
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/open311/')) return
  if (req.mode === 'navigate') {
    // Network first, so a new release shows at once; the kept shell when the network is down.
    event.respondWith(
      (async () => {
        try {
          const res = await fetch(req)
          if (res.ok && (res.headers.get('Content-Type') || '').includes('text/html')) {
            const cache = await caches.open(CACHE)
            await cache.put('/', res.clone())
          }
          return res
        } catch (err) {
          const shell = await caches.match('/')
          if (shell) return shell
          throw err
        }
      })(),
    )
    return
  }
  if (url.pathname.startsWith('/assets/') || url.pathname === '/favicon.svg') {
    // Asset names carry a content hash: a kept copy is always right.
    event.respondWith(
      (async () => {
        const hit = await caches.match(req)
        if (hit) return hit
        const res = await fetch(req)
        if (res.ok) {
          const cache = await caches.open(CACHE)
          await cache.put(req, res.clone())
        }
        return res
      })(),
    )
  }
})
