import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { backoff, onReconnect, online, retryIn, retryNow, stopProbing } from './connection'
import { ApiError, request } from './api'

beforeEach(() => {
  vi.useFakeTimers()
  online.value = true
})

afterEach(() => {
  stopProbing()
  online.value = true
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('backoff', () => {
  it('doubles from one second and stops growing at thirty', () => {
    expect(backoff(7)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000])
  })
})

describe('an unreachable server', () => {
  it('is asked by one probe with growing pauses while requests fail at once, and reloads the screens when it answers', async () => {
    let up = false
    const fetch = vi.fn(async (url: string) => {
      if (!up) throw new TypeError('Failed to fetch')
      return new Response(url === '/healthz' ? 'ok' : '{"items":[]}', { status: 200, headers: { 'Content-Type': url === '/healthz' ? 'text/plain' : 'application/json' } })
    })
    vi.stubGlobal('fetch', fetch)
    const reloaded = vi.fn()
    const stop = onReconnect(reloaded)

    await expect(request('/petitions')).rejects.toBeInstanceOf(ApiError)
    expect(online.value).toBe(false)
    expect(retryIn.value).toBe(1)
    // Screens asking again while the server is down do not touch the network.
    for (let i = 0; i < 50; i++) await expect(request('/petitions')).rejects.toMatchObject({ status: 0 })
    expect(fetch).toHaveBeenCalledTimes(1)

    // Probes at 1 s, then 2 s and 4 s later: three in seven seconds, not one per request.
    await vi.advanceTimersByTimeAsync(7000)
    expect(fetch.mock.calls.map((c) => c[0])).toEqual(['/api/v1/petitions', '/healthz', '/healthz', '/healthz'])
    await vi.advanceTimersByTimeAsync(60000)
    expect(fetch.mock.calls.length).toBeLessThanOrEqual(8)

    // The retry button asks at once; the server is back, so the screens reload.
    up = true
    expect(await retryNow()).toBe(true)
    expect(online.value).toBe(true)
    expect(reloaded).toHaveBeenCalledTimes(1)
    await expect(request('/petitions')).resolves.toEqual({ items: [] })
    stop()
  })
})
