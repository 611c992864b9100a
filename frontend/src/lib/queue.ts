// The offline outbox: writes made while the connection is down wait in IndexedDB, each with the
// Idempotency-Key it will be sent with, so a retry after a timeout or a reload never creates a
// second record. Items are sent in the order they were made.

/** QueuedFile is a file waiting with its upload: IndexedDB keeps the Blob itself. */
export interface QueuedFile {
  name: string
  type: string
  blob: Blob
}

/** idPlaceholder stands in a queued path for the id of a record that is itself still queued. */
export const idPlaceholder = '{id}'

/** QueuedRequest is one write waiting to be sent. */
export interface QueuedRequest {
  /** key is the Idempotency-Key, fixed when the item is made and reused on every attempt. */
  key: string
  method: 'POST' | 'PUT' | 'PATCH'
  path: string
  body: unknown
  /** files, when set, are sent as multipart/form-data instead of body (one photo per item). */
  files?: QueuedFile[]
  /** after names the key of a queued write whose record this one belongs to (a photo of a
   * petition logged offline): it waits for that write, and the id the server gives it replaces
   * {id} in path. */
  after?: string
  /** kind says what the write records, for the screen. */
  kind: 'petition' | 'attendance' | 'attachment'
  /** label is a short human description ("Ý kiến: đường ngập…"). */
  label: string
  /** scope groups items for one screen, e.g. "dialogue:12". */
  scope: string
  /** coalesce: a newer waiting item with the same value replaces this one (attendance counts). */
  coalesce?: string
  /** userId: only the user who made an item sends it. */
  userId: number
  seq: number
  createdAt: string
  attempts: number
  /** rejected holds the server's refusal (422, 409, …); such an item waits for the user. */
  rejected?: { status: number; message: string; fields: Record<string, string> }
}

/** NewRequest is what a screen hands the outbox. */
export type NewRequest = Pick<QueuedRequest, 'method' | 'path' | 'body' | 'kind' | 'label' | 'scope' | 'userId'> &
  Partial<Pick<QueuedRequest, 'key' | 'coalesce' | 'files' | 'after'>>

/** SendError is how a sender reports failure: status 0 means the network failed. */
export interface SendError {
  status: number
  message: string
  fields?: Record<string, string>
}

/** FlushResult tells what one pass over the outbox did. */
export interface FlushResult {
  sent: number
  rejected: number
  waiting: number
  /** stopped names why the pass ended early: "network", "auth", "server", or "" when it reached the end. */
  stopped: '' | 'network' | 'auth' | 'server' | 'busy'
}

const storeName = 'outbox'

function promisify<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'))
  })
}

/** newKey returns a fresh Idempotency-Key. */
export function newKey(): string {
  return crypto.randomUUID()
}

/** Outbox is the IndexedDB-backed queue of writes waiting for the network. */
export class Outbox {
  private db: Promise<IDBDatabase> | null = null
  private flushing = false
  private lastSeq = 0

  constructor(
    private readonly dbName = 'papi-offline',
    private readonly factory: IDBFactory = globalThis.indexedDB,
  ) {}

  private open(): Promise<IDBDatabase> {
    if (!this.db) {
      this.db = new Promise((resolve, reject) => {
        const req = this.factory.open(this.dbName, 1)
        req.onupgradeneeded = () => {
          req.result.createObjectStore(storeName, { keyPath: 'key' })
        }
        req.onsuccess = () => resolve(req.result)
        req.onerror = () => reject(req.error)
      })
    }
    return this.db
  }

  /** close releases the database (tests open many). */
  async close(): Promise<void> {
    if (this.db) (await this.db).close()
    this.db = null
  }

  private nextSeq(): number {
    // Strictly increasing even when two items are made in the same millisecond.
    this.lastSeq = Math.max(Date.now() * 1000, this.lastSeq + 1)
    return this.lastSeq
  }

  /** add stores a write and returns it; a waiting item with the same coalesce value is replaced. */
  async add(n: NewRequest): Promise<QueuedRequest> {
    const item: QueuedRequest = {
      ...n,
      key: n.key ?? newKey(),
      seq: this.nextSeq(),
      createdAt: new Date().toISOString(),
      attempts: 0,
    }
    const db = await this.open()
    const tx = db.transaction(storeName, 'readwrite')
    const store = tx.objectStore(storeName)
    if (item.coalesce) {
      const existing = (await promisify(store.getAll())) as QueuedRequest[]
      for (const e of existing) {
        if (e.coalesce === item.coalesce && e.userId === item.userId && !e.rejected) store.delete(e.key)
      }
    }
    store.put(item)
    await done(tx)
    return item
  }

  /** all returns every stored item, oldest first. */
  async all(): Promise<QueuedRequest[]> {
    const db = await this.open()
    const tx = db.transaction(storeName, 'readonly')
    const items = (await promisify(tx.objectStore(storeName).getAll())) as QueuedRequest[]
    return items.sort((a, b) => a.seq - b.seq)
  }

  /** waiting counts the items still to be sent (not those the server refused). */
  async waiting(userId?: number): Promise<number> {
    return (await this.all()).filter((i) => !i.rejected && (userId === undefined || i.userId === userId)).length
  }

  /** remove drops an item the user gives up on, with the items waiting for it (the photos of a
   * petition that will never be sent have nowhere to go). */
  async remove(key: string): Promise<void> {
    const db = await this.open()
    const tx = db.transaction(storeName, 'readwrite')
    const store = tx.objectStore(storeName)
    const items = (await promisify(store.getAll())) as QueuedRequest[]
    const gone = new Set([key])
    for (let grew = true; grew; ) {
      grew = false
      for (const i of items) {
        if (i.after && gone.has(i.after) && !gone.has(i.key)) {
          gone.add(i.key)
          grew = true
        }
      }
    }
    gone.forEach((k) => store.delete(k))
    await done(tx)
  }

  /** settle drops a sent item and, in the same transaction, gives the items waiting for it the id
   * of the record it created: a reload in between can never lose that id. */
  private async settle(key: string, result: unknown): Promise<string[]> {
    const id = (result as { id?: unknown } | null)?.id
    const db = await this.open()
    const tx = db.transaction(storeName, 'readwrite')
    const store = tx.objectStore(storeName)
    const items = (await promisify(store.getAll())) as QueuedRequest[]
    const freed: string[] = []
    for (const i of items) {
      if (i.after !== key || typeof id !== 'number') continue
      i.path = i.path.replace(idPlaceholder, String(id))
      delete i.after
      store.put(i)
      freed.push(i.key)
    }
    store.delete(key)
    await done(tx)
    return freed
  }

  /** retry clears an item's refusal so the next flush sends it again (after the user fixed it). */
  async retry(key: string, body?: unknown): Promise<void> {
    await this.update(key, (i) => {
      delete i.rejected
      if (body !== undefined) i.body = body
    })
  }

  private async update(key: string, fn: (i: QueuedRequest) => void): Promise<void> {
    const db = await this.open()
    const tx = db.transaction(storeName, 'readwrite')
    const store = tx.objectStore(storeName)
    const item = (await promisify(store.get(key))) as QueuedRequest | undefined
    if (item) {
      fn(item)
      store.put(item)
    }
    await done(tx)
  }

  /** flush sends the user's waiting items in order. It stops at the first network, sign-in or
   * server failure (the rest waits for the next pass) and sets aside items the server refused. */
  async flush(userId: number, send: (item: QueuedRequest) => Promise<unknown>): Promise<FlushResult> {
    const result: FlushResult = { sent: 0, rejected: 0, waiting: 0, stopped: '' }
    if (this.flushing) {
      result.stopped = 'busy'
      result.waiting = await this.waiting(userId)
      return result
    }
    this.flushing = true
    try {
      const items = (await this.all()).filter((i) => i.userId === userId && !i.rejected)
      const paths = new Map<string, string>()
      for (const item of items) {
        // Waiting for a write that was refused or is still to come: not now.
        if (item.after && !paths.has(item.key)) continue
        const ready = { ...item, path: paths.get(item.key) ?? item.path, after: undefined }
        try {
          await this.update(item.key, (i) => {
            i.attempts++
          })
          const res = await send(ready)
          for (const k of await this.settle(item.key, res)) {
            const dep = items.find((i) => i.key === k)
            if (dep) paths.set(k, dep.path.replace(idPlaceholder, String((res as { id: number }).id)))
          }
          result.sent++
        } catch (err) {
          const e = err as SendError
          const status = typeof e?.status === 'number' ? e.status : 0
          if (status === 0) {
            result.stopped = 'network'
          } else if (status === 401) {
            result.stopped = 'auth'
          } else if (status >= 500 || status === 429 || status === 408) {
            result.stopped = 'server'
          } else {
            await this.update(item.key, (i) => {
              i.rejected = { status, message: e.message, fields: e.fields ?? {} }
            })
            result.rejected++
            continue
          }
          break
        }
      }
      result.waiting = await this.waiting(userId)
      return result
    } finally {
      this.flushing = false
    }
  }
}
