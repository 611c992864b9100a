import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router'
import { loadSession, forget } from './lib/session'
import { whenUnauthenticated } from './lib/api'
import { startOutbox } from './lib/outbox'
import { lang, langReady } from './lib/i18n'
import './style.css'

document.documentElement.lang = lang.value

whenUnauthenticated(() => {
  forget()
  const here = router.currentRoute.value
  if (!here.meta.public) void router.push({ name: 'login', query: { next: here.fullPath } })
})

// Keep the app shell on the device so it opens without a connection (see public/sw.js).
// It registers once the page has loaded, so a first visit on a slow link does not wait for the
// worker fetching the whole build.
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  const register = () => navigator.serviceWorker.register('/sw.js').catch((err) => console.warn('service worker not registered', err))
  if (document.readyState === 'complete') void register()
  else window.addEventListener('load', () => void register(), { once: true })
}

// English, when it was chosen before, loads alongside the session, so the app opens in it.
void Promise.all([loadSession(), langReady]).then(() => {
  startOutbox()
  createApp(App).use(router).mount('#app')
})
