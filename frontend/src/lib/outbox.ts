// The outbox as the screens see it: send a write now when the network is up, keep it in the
// queue when it is not, and send what waits as soon as the connection returns.
import { ref } from 'vue'
import { ApiError, request, upload } from './api'
import { loadSession, me, stale } from './session'
import { Outbox, idPlaceholder, newKey, type NewRequest, type QueuedFile, type QueuedRequest } from './queue'
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

/** FileOutcome is what became of one file: sent, queued, or refused by the server (422). */
export type FileOutcome = { file: File } & ({ status: 'sent' } | { status: 'queued'; item: QueuedRequest } | { status: 'refused'; error: ApiError })

/** FilesRequest says where files go: a record's attachments path, or one with {id} and the key
 * of the queued write that will create the record (a petition logged offline). */
export interface FilesRequest {
  path: string
  after?: string
  label: string
  scope: string
}

/** sendOrQueueFiles sends each file on its own, with a key of its own, or queues it when the
 * network is down, drops during the upload, or the record it belongs to is itself still queued.
 * A file the server refuses (not a photo, too large) is reported, not queued. */
export async function sendOrQueueFiles(req: FilesRequest, files: File[]): Promise<FileOutcome[]> {
  const userId = me.value?.id ?? 0
  const out: FileOutcome[] = []
  for (const file of files) {
    const key = newKey()
    if (online.value && !req.after) {
      try {
        await upload(req.path, [file], key)
        out.push({ file, status: 'sent' })
        continue
      } catch (err) {
        if (!(err instanceof ApiError)) throw err
        if (!err.isNetwork) {
          out.push({ file, status: 'refused', error: err })
          continue
        }
      }
    }
    const queuedFile: QueuedFile = { name: file.name, type: file.type, blob: file }
    const item = await outbox.add({ method: 'POST', path: req.path, body: null, files: [queuedFile], after: req.after,
      kind: 'attachment', label: `${req.label}: ${file.name}`, scope: req.scope, key, userId })
    out.push({ file, status: 'queued', item })
  }
  await refreshQueued()
  return out
}

/** attachmentsPath is where a petition's files go, by id or, while it waits offline, {id}. */
export function attachmentsPath(id?: number): string {
  return `/api/v1/petitions/${id ?? idPlaceholder}/attachments`
}

/** sendQueued sends one item as it was made: JSON, or its files as multipart/form-data. */
async function sendQueued(item: QueuedRequest): Promise<unknown> {
  if (item.files?.length) {
    const files = item.files.map((f) => new File([f.blob], f.name, { type: f.type }))
    return upload(item.path, files, item.key)
  }
  return request(item.path, { method: item.method, body: item.body, idempotencyKey: item.key })
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
        return await sendQueued(item)
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

/** resend puts a refused item back in line with the user's corrections and sends what waits. */
export async function resend(key: string, body: unknown): Promise<void> {
  await outbox.retry(key, body)
  await refreshQueued()
  await flushQueue()
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
