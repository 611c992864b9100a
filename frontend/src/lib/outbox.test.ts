import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { me } from './session'
import type { Me } from './types'
import { flushQueue, online, outbox, queued, refreshQueued, resend, sendOrQueue } from './outbox'
import { setCsrfToken } from './api'

const user = { id: 7, username: 'secretary.tanthoi', permissions: [], unit: { id: 3 } } as unknown as Me

function reply(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

const petition = { method: 'POST' as const, path: '/api/v1/petitions', body: { content: 'Đường ngập nước' }, kind: 'petition' as const, label: 'Đường ngập', scope: 'dialogue:1' }

beforeEach(async () => {
  me.value = user
  setCsrfToken('tok')
  online.value = true
  for (const i of await outbox.all()) await outbox.remove(i.key)
  await refreshQueued()
})
afterEach(() => vi.unstubAllGlobals())

describe('sendOrQueue', () => {
  it('sends at once when online, with an Idempotency-Key and the CSRF token', async () => {
    const fetch = vi.fn(async () => reply(201, { id: 1, reference: 'TANTHOI-2026-0001' }))
    vi.stubGlobal('fetch', fetch)
    const out = await sendOrQueue<{ reference: string }>(petition)
    expect(out.queued).toBe(false)
    const headers = (fetch.mock.calls[0] as unknown as [string, RequestInit])[1].headers as Record<string, string>
    expect(headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/)
    expect(headers['X-CSRF-Token']).toBe('tok')
    expect(queued.value).toEqual([])
  })

  it('queues when the network drops during the request, keeping the key it was sent with', async () => {
    const keys: string[] = []
    vi.stubGlobal('fetch', async (_: string, init: RequestInit) => {
      keys.push((init.headers as Record<string, string>)['Idempotency-Key'])
      throw new TypeError('Failed to fetch')
    })
    const out = await sendOrQueue(petition)
    expect(out.queued).toBe(true)
    expect(online.value).toBe(false)
    expect(queued.value.map((i) => i.key)).toEqual(keys)

    // Back online: the same key goes out again, so the server can tell a retry from a new petition.
    online.value = true
    vi.stubGlobal('fetch', async (_: string, init: RequestInit) => {
      keys.push((init.headers as Record<string, string>)['Idempotency-Key'])
      return reply(200, { id: 1 })
    })
    await flushQueue()
    expect(keys[1]).toBe(keys[0])
    expect(queued.value).toEqual([])
  })

  it('throws the server’s refusal instead of queueing it', async () => {
    vi.stubGlobal('fetch', async () => reply(422, { error: { code: 'validation_failed', message: 'Sai', fields: { content: 'Quá ngắn' } } }))
    await expect(sendOrQueue(petition)).rejects.toMatchObject({ status: 422, fields: { content: 'Quá ngắn' } })
    expect(queued.value).toEqual([])
  })

  it('queues without trying while known to be offline', async () => {
    const fetch = vi.fn()
    vi.stubGlobal('fetch', fetch)
    online.value = false
    const out = await sendOrQueue(petition)
    expect(out.queued).toBe(true)
    expect(fetch).not.toHaveBeenCalled()
    expect(queued.value).toHaveLength(1)
  })
})

describe('resend', () => {
  it('keeps a refused item until its correction is taken, sent with the key it was made with', async () => {
    online.value = false
    await sendOrQueue(petition)
    online.value = true
    const sent: { key: string; body: unknown }[] = []
    let answer = reply(422, { error: { code: 'validation_failed', message: 'Sai', fields: { topic_id: 'Lĩnh vực đã ngừng sử dụng.' } } })
    vi.stubGlobal('fetch', async (_: string, init: RequestInit) => {
      sent.push({ key: (init.headers as Record<string, string>)['Idempotency-Key'], body: JSON.parse(String(init.body)) })
      return answer
    })
    await flushQueue()
    expect(queued.value).toHaveLength(1)
    expect(queued.value[0].rejected?.fields).toEqual({ topic_id: 'Lĩnh vực đã ngừng sử dụng.' })

    answer = reply(201, { id: 9 })
    await resend(queued.value[0].key, { content: 'Đường ngập nước', topic_id: 4 })
    expect(sent).toHaveLength(2)
    expect(sent[1]).toEqual({ key: sent[0].key, body: { content: 'Đường ngập nước', topic_id: 4 } })
    expect(queued.value).toEqual([])
  })
})
