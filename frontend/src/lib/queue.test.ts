import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Outbox, type QueuedRequest } from './queue'

let box: Outbox

beforeEach(() => {
  // A fresh database per test.
  box = new Outbox('test', new IDBFactory())
})
afterEach(async () => {
  await box.close()
})

const petition = (label: string, userId = 1) => ({
  method: 'POST' as const,
  path: '/api/v1/petitions',
  body: { content: label },
  kind: 'petition' as const,
  label,
  scope: 'dialogue:1',
  userId,
})

describe('Outbox', () => {
  it('keeps items in the order they were made, each with its own key', async () => {
    const a = await box.add(petition('a'))
    const b = await box.add(petition('b'))
    const c = await box.add(petition('c'))
    const all = await box.all()
    expect(all.map((i) => i.label)).toEqual(['a', 'b', 'c'])
    expect(new Set([a.key, b.key, c.key]).size).toBe(3)
    expect(a.key).toMatch(/^[0-9a-f-]{36}$/)
    expect(await box.waiting(1)).toBe(3)
  })

  it('survives a reload: a new Outbox over the same database sees the items', async () => {
    const factory = new IDBFactory()
    const first = new Outbox('reload', factory)
    await first.add(petition('kept'))
    await first.close()
    const second = new Outbox('reload', factory)
    expect((await second.all()).map((i) => i.label)).toEqual(['kept'])
    await second.close()
  })

  it('sends in order with the stored key and removes what was sent', async () => {
    await box.add(petition('a'))
    await box.add(petition('b'))
    const stored = await box.all()
    const seen: QueuedRequest[] = []
    const res = await box.flush(1, async (i) => {
      seen.push(i)
    })
    expect(res).toEqual({ sent: 2, rejected: 0, waiting: 0, stopped: '' })
    expect(seen.map((i) => i.key)).toEqual(stored.map((i) => i.key))
    expect(await box.all()).toEqual([])
  })

  it('stops at a network failure and keeps the rest with the same keys', async () => {
    await box.add(petition('a'))
    await box.add(petition('b'))
    await box.add(petition('c'))
    const keys = (await box.all()).map((i) => i.key)
    let calls = 0
    const res = await box.flush(1, async () => {
      calls++
      if (calls === 2) throw { status: 0, message: 'offline' }
    })
    expect(res.sent).toBe(1)
    expect(res.stopped).toBe('network')
    expect(res.waiting).toBe(2)
    const left = await box.all()
    expect(left.map((i) => i.key)).toEqual(keys.slice(1))
    expect(left[0].attempts).toBe(1)
    expect(left[1].attempts).toBe(0)

    // The retry sends the same keys again: the server's idempotency turns a duplicate into a replay.
    const resent: string[] = []
    await box.flush(1, async (i) => {
      resent.push(i.key)
    })
    expect(resent).toEqual(keys.slice(1))
  })

  it('sets aside items the server refuses and goes on with the others', async () => {
    await box.add(petition('bad'))
    await box.add(petition('good'))
    const res = await box.flush(1, async (i) => {
      if (i.label === 'bad') throw { status: 422, message: 'Dữ liệu không hợp lệ', fields: { content: 'Quá ngắn' } }
    })
    expect(res).toEqual({ sent: 1, rejected: 1, waiting: 0, stopped: '' })
    const [left] = await box.all()
    expect(left.label).toBe('bad')
    expect(left.rejected).toEqual({ status: 422, message: 'Dữ liệu không hợp lệ', fields: { content: 'Quá ngắn' } })

    // A refused item is not sent again until the user fixes it.
    let sent = 0
    await box.flush(1, async () => {
      sent++
    })
    expect(sent).toBe(0)
    await box.retry(left.key, { content: 'now long enough' })
    await box.flush(1, async (i) => {
      expect(i.body).toEqual({ content: 'now long enough' })
      sent++
    })
    expect(sent).toBe(1)
    expect(await box.all()).toEqual([])
  })

  it('stops on a server error or an ended session, keeping the item', async () => {
    await box.add(petition('a'))
    expect((await box.flush(1, async () => Promise.reject({ status: 503, message: 'down' }))).stopped).toBe('server')
    expect((await box.flush(1, async () => Promise.reject({ status: 401, message: 'signed out' }))).stopped).toBe('auth')
    expect(await box.waiting(1)).toBe(1)
    expect((await box.all())[0].rejected).toBeUndefined()
  })

  it('sends only the items of the signed-in user', async () => {
    await box.add(petition('mine', 1))
    await box.add(petition('theirs', 2))
    const sent: string[] = []
    await box.flush(1, async (i) => {
      sent.push(i.label)
    })
    expect(sent).toEqual(['mine'])
    expect(await box.waiting(2)).toBe(1)
  })

  it('replaces a waiting attendance entry of the same dialogue with the newer one', async () => {
    const put = (n: number) => ({
      method: 'PUT' as const,
      path: '/api/v1/dialogues/7/attendance',
      body: { residents: n },
      kind: 'attendance' as const,
      label: `${n}`,
      scope: 'dialogue:7',
      coalesce: 'attendance:7',
      userId: 1,
    })
    await box.add(put(10))
    await box.add(petition('p'))
    await box.add(put(12))
    const all = await box.all()
    expect(all.map((i) => i.label)).toEqual(['p', '12'])
  })

  it('does not run two flushes at once', async () => {
    await box.add(petition('a'))
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const first = box.flush(1, () => gate)
    const second = await box.flush(1, async () => {
      throw new Error('must not be called')
    })
    expect(second.stopped).toBe('busy')
    release()
    expect((await first).sent).toBe(1)
  })
})
