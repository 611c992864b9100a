import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, request, setCsrfToken, whenUnauthenticated, withQuery } from './api'
import { setLang } from './i18n'
import { useForm } from './form'
import { online, stopProbing } from './connection'

function reply(status: number, body?: unknown) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

afterEach(() => {
  stopProbing()
  online.value = true
  vi.unstubAllGlobals()
  setLang('vi')
  setCsrfToken('')
})

describe('request', () => {
  it('sends the CSRF token on unsafe requests only, and the chosen language', async () => {
    const fetch = vi.fn(async () => reply(200, { ok: true }))
    vi.stubGlobal('fetch', fetch)
    setCsrfToken('tok')
    await setLang('en')
    await request('/topics')
    await request('/topics', { method: 'POST', body: { code: 'X' }, idempotencyKey: 'k1' })
    const [getUrl, getInit] = fetch.mock.calls[0] as unknown as [string, RequestInit]
    const [postUrl, postInit] = fetch.mock.calls[1] as unknown as [string, RequestInit]
    expect(getUrl).toBe('/api/v1/topics')
    expect((getInit.headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined()
    expect((getInit.headers as Record<string, string>)['Accept-Language']).toBe('en')
    expect(postUrl).toBe('/api/v1/topics')
    const h = postInit.headers as Record<string, string>
    expect(h['X-CSRF-Token']).toBe('tok')
    expect(h['Idempotency-Key']).toBe('k1')
    expect(h['Content-Type']).toBe('application/json')
    expect(postInit.body).toBe('{"code":"X"}')
  })

  it('turns the error shape into an ApiError with per-field messages', async () => {
    vi.stubGlobal('fetch', async () =>
      reply(422, { error: { code: 'validation_failed', message: 'Dữ liệu không hợp lệ', fields: { title: 'Cần ít nhất 3 ký tự.' } } }),
    )
    const err = (await request('/dialogues', { method: 'POST', body: {} }).catch((e) => e)) as ApiError
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(422)
    expect(err.code).toBe('validation_failed')
    expect(err.fields).toEqual({ title: 'Cần ít nhất 3 ký tự.' })
  })

  it('keeps the details of a conflict', async () => {
    vi.stubGlobal('fetch', async () => reply(409, { error: { code: 'overlap', message: 'Trùng lịch', details: { dialogue_id: 4 } } }))
    const err = (await request('/dialogues', { method: 'POST', body: {} }).catch((e) => e)) as ApiError
    expect(err.details).toEqual({ dialogue_id: 4 })
  })

  it('explains a failure without a JSON body by its status', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>bad gateway</html>', { status: 502 }))
    const err = (await request('/topics').catch((e) => e)) as ApiError
    expect(err.status).toBe(502)
    expect(err.message).toMatch(/máy chủ/)
  })

  it('reports a network failure as status 0', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch')
    })
    const err = (await request('/topics').catch((e) => e)) as ApiError
    expect(err.isNetwork).toBe(true)
    expect(err.code).toBe('network')
  })

  it('tells the app when the session has ended', async () => {
    const ended = vi.fn()
    whenUnauthenticated(ended)
    vi.stubGlobal('fetch', async () => reply(401, { error: { code: 'unauthenticated', message: 'Bạn cần đăng nhập.' } }))
    await request('/topics').catch(() => {})
    expect(ended).toHaveBeenCalledTimes(1)
    await request('/auth/login', { method: 'POST', body: {} }).catch(() => {})
    expect(ended).toHaveBeenCalledTimes(1)
  })

  it('returns undefined for 204', async () => {
    vi.stubGlobal('fetch', async () => new Response(null, { status: 204 }))
    expect(await request('/auth/logout', { method: 'POST' })).toBeUndefined()
  })
})

describe('withQuery', () => {
  it('drops empty values and repeats arrays', () => {
    expect(withQuery('/p', { a: 'x y', b: '', c: null, d: [1, 2], e: false })).toBe('/p?a=x+y&d=1&d=2&e=false')
    expect(withQuery('/p', {})).toBe('/p')
  })
})

describe('useForm', () => {
  it('puts field messages by field and shows the ones no input claims', async () => {
    const form = useForm()
    await form.run(async () => {
      throw new ApiError(422, 'validation_failed', 'Sai', { title: 'ngắn', 'agenda[1]': 'trống', secret: 'x' })
    })
    expect(form.message.value).toBe('Sai')
    expect(form.fields.title).toBe('ngắn')
    expect(form.fields.agenda).toBe('trống')
    expect(form.unclaimed(['title', 'agenda'])).toEqual(['secret: x'])
    expect(form.busy.value).toBe(false)
  })

  it('clears old errors on the next try', async () => {
    const form = useForm()
    form.fail(new ApiError(422, 'validation_failed', 'Sai', { title: 'ngắn' }))
    const out = await form.run(async () => 5)
    expect(out).toBe(5)
    expect(form.fields.title).toBeUndefined()
    expect(form.message.value).toBe('')
  })
})
