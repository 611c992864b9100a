// The outbox as the screens see it: send a write now when the network is up, keep it in the
// queue when it is not, and send what waits as soon as the connection returns.
import { ref } from 'vue'
import { ApiError, request } from './api'
import { loadSession, me, stale } from './session'
import { Outbox, newKey, type NewRequest, type QueuedRequest } from './queue'
import { notify } from './notice'
import { t } from './i18n'
import { markDown, onReconnect, online, retryNow } from './connection'

/** outbox is the app's one queue. */
export const outbox = new Outbox()

/** queued lists the signed-in user's items, oldest first, for the screens. */
export const queued = ref<QueuedRequest[]>([])

export { online }

/** refreshQueued reloads the list of waiting items. */
export async function refreshQueued(): Promise<void> {
  const uid = me.value?.id
  queued.value = uid ? (await outbox.all()).filter((i) => i.userId === uid) : []
}

/** Outcome is what became of a write: sent (with the server's reply) or queued. */
export type Outcome<T> = { queued: false; data: T } | { queued: true; item: QueuedRequest }

/** sendOrQueue sends a write with a fresh Idempotency-Key, or queues it when the network is
 * down or drops during the request. Refusals by the server (422, 409, …) are thrown as usual. */
export async function sendOrQueue<T>(req: Omit<NewRequest, 'userId' | 'key'>): Promise<Outcome<T>> {
  const userId = me.value?.id ?? 0
  const key = newKey()
  if (online.value) {
    try {
      const data = await request<T>(req.path, { method: req.method, body: req.body, idempotencyKey: key })
      return { queued: false, data }
    } catch (err) {
      if (!(err instanceof ApiError) || !err.isNetwork) throw err
    }
  }
  const item = await outbox.add({ ...req, key, userId })
  await refreshQueued()
  return { queued: true, item }
}

let flushing: Promise<void> | null = null
const listeners = new Set<() => void>()

/** onSynced registers a callback run after the queue sent something (screens reload). */
export function onSynced(fn: () => void): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

/** flushQueue sends what waits, if anything does and the network is up. */
export function flushQueue(): Promise<void> {
  if (flushing) return flushing
  flushing = (async () => {
    if (!me.value || !online.value) return
    // Started offline: check the session (and fetch its CSRF token) before sending anything.
    if (stale.value) await loadSession()
    const uid = me.value?.id
    if (!uid || stale.value) return
    if ((await outbox.waiting(uid)) === 0) return
    const res = await outbox.flush(uid, async (item) => {
      try {
        await request(item.path, { method: item.method, body: item.body, idempotencyKey: item.key })
      } catch (err) {
        if (err instanceof ApiError) throw { status: err.status, message: err.message, fields: err.fields }
        throw err
      }
    })
    if (res.sent > 0) {
      notify(t('offline.synced', { n: res.sent }))
      listeners.forEach((fn) => fn())
    }
    if (res.rejected > 0) notify(t('offline.rejected', { n: res.rejected }), 'error')
  })().finally(async () => {
    flushing = null
    await refreshQueued()
  })
  return flushing
}

/** discard drops a queued item the user gives up on. */
export async function discard(key: string): Promise<void> {
  await outbox.remove(key)
  await refreshQueued()
}

/** startOutbox follows the connection and sends waiting items when it returns. */
export function startOutbox(): void {
  window.addEventListener('online', () => void retryNow())
  window.addEventListener('offline', () => markDown())
  onReconnect(() => void flushQueue())
  // Items the server could not take for a moment (busy, 5xx) are tried again now and then.
  setInterval(() => {
    if (online.value && queued.value.some((i) => !i.rejected)) void flushQueue()
  }, 15000)
  void refreshQueued().then(() => flushQueue())
}
