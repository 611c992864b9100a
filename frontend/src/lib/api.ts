// The one way the app talks to the server: JSON in and out, the session's CSRF token on every
// unsafe request, the chosen language, and every error turned into an ApiError with the
// message and per-field messages the server wrote.
import { lang, t } from './i18n'
import { markDown, markUp, online } from './connection'

/** base is where the API lives. */
export const base = '/api/v1'

/** ApiError is a failed request, carrying the server's error shape. */
export class ApiError extends Error {
  /** status is the HTTP status, or 0 when the server could not be reached. */
  status: number
  /** code is the machine-readable error code ("validation_failed", "network", …). */
  code: string
  /** fields maps a field name (as the API names it) to its message. */
  fields: Record<string, string>
  /** details carries extra data, such as the conflicting record of a 409. */
  details: Record<string, unknown>

  constructor(status: number, code: string, message: string, fields?: Record<string, string>, details?: Record<string, unknown>) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields ?? {}
    this.details = details ?? {}
  }

  /** isNetwork tells whether the request never reached the server (offline, DNS, reset). */
  get isNetwork(): boolean {
    return this.status === 0
  }
}

let csrfToken = ''
let onUnauthenticated: (() => void) | null = null

/** setCsrfToken remembers the session's CSRF token for unsafe requests. */
export function setCsrfToken(token: string): void {
  csrfToken = token
}

/** whenUnauthenticated registers what to do when the session has ended (a 401). */
export function whenUnauthenticated(fn: () => void): void {
  onUnauthenticated = fn
}

/** RequestOptions tune one request. */
export interface RequestOptions {
  method?: string
  body?: unknown
  query?: Record<string, string | number | boolean | null | undefined | (string | number)[]>
  headers?: Record<string, string>
  idempotencyKey?: string
  signal?: AbortSignal
}

/** withQuery appends the non-empty query parameters to path. */
export function withQuery(path: string, query?: RequestOptions['query']): string {
  if (!query) return path
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === null || v === undefined || v === '') continue
    if (Array.isArray(v)) v.forEach((x) => q.append(k, String(x)))
    else q.set(k, String(v))
  }
  const s = q.toString()
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path
}

function statusMessage(status: number): string {
  if (status === 401) return t('error.unauthenticated')
  if (status === 403) return t('error.forbidden')
  if (status === 404) return t('error.notFound')
  if (status === 409) return t('error.conflict')
  if (status === 429) return t('error.rateLimited')
  if (status >= 500) return t('error.server')
  return t('error.unknown', { status })
}

/** toApiError reads the API's error shape from a failed response. */
export async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null
  try {
    body = await res.json()
  } catch {
    // Not JSON: a proxy error page or an empty body; the status still says enough.
  }
  const e = (body as { error?: { code?: string; message?: string; fields?: Record<string, string>; details?: Record<string, unknown> } } | null)?.error
  return new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message || statusMessage(res.status), e?.fields, e?.details)
}

/** request calls the API and returns the decoded JSON (undefined for 204). */
export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = (opts.method ?? 'GET').toUpperCase()
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': lang.value === 'en' ? 'en' : 'vi',
    ...opts.headers,
  }
  if (method !== 'GET' && method !== 'HEAD') {
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken
  }
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey
  let body: string | undefined
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  const url = withQuery(path.startsWith('/') && !path.startsWith(base) ? base + path : path, opts.query)
  if (!online.value || (typeof navigator !== 'undefined' && navigator.onLine === false)) {
    // Known to be unreachable: answer from the device's copy, or fail at once without a doomed
    // request; the connection's probe finds out when the server is back.
    markDown()
    const kept = method === 'GET' ? readKept<T>(url) : undefined
    if (kept !== undefined) return kept
    throw new ApiError(0, 'network', t('error.network'))
  }
  let res: Response
  try {
    res = await fetch(url, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    })
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err
    markDown()
    const kept = method === 'GET' ? readKept<T>(url) : undefined
    if (kept !== undefined) return kept
    throw new ApiError(0, 'network', t('error.network'))
  }
  markUp()
  if (!res.ok) {
    const e = await toApiError(res)
    if (res.status === 401 && !path.includes('/auth/login') && onUnauthenticated) onUnauthenticated()
    throw e
  }
  if (res.status === 204) return undefined as T
  const ct = res.headers.get('Content-Type') ?? ''
  if (!ct.includes('json')) return (await res.text()) as T
  const data = (await res.json()) as T
  if (method === 'GET' && keepPaths.some((re) => re.test(url))) keep(url, data)
  return data
}

// The answers a screen needs to open without a connection (running a dialogue at the hamlet
// hall) are kept on the device; anything else is always asked for.
const keepPaths = [/^\/api\/v1\/(units|topics|petitions\/rules)(\?|$)/, /^\/api\/v1\/dialogues\/\d+(\?|$)/, /^\/api\/v1\/petitions\?(.*&)?dialogue_id=/]
const keptPrefix = 'papi.kept:'

function keep(url: string, data: unknown) {
  try {
    localStorage.setItem(keptPrefix + url, JSON.stringify(data))
  } catch {
    // Storage full or refused: the screen just needs the network next time.
  }
}

function readKept<T>(url: string): T | undefined {
  try {
    const s = globalThis.localStorage?.getItem(keptPrefix + url)
    return s ? (JSON.parse(s) as T) : undefined
  } catch {
    return undefined
  }
}

/** forgetKept drops every kept answer (at sign-out: the next user must not see them). */
export function forgetKept(): void {
  try {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const k = localStorage.key(i)
      if (k?.startsWith(keptPrefix)) localStorage.removeItem(k)
    }
  } catch {
    // nothing kept
  }
}

/** get is a GET request. */
export function get<T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal): Promise<T> {
  return request<T>(path, { query, signal })
}

/** post is a POST request. */
export function post<T>(path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  return request<T>(path, { ...opts, method: 'POST', body })
}

/** patch is a PATCH request. */
export function patch<T>(path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  return request<T>(path, { ...opts, method: 'PATCH', body })
}

/** put is a PUT request. */
export function put<T>(path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  return request<T>(path, { ...opts, method: 'PUT', body })
}

/** del is a DELETE request. */
export function del<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  return request<T>(path, { ...opts, method: 'DELETE' })
}

/** upload sends files as multipart/form-data (field "file"), with the session's CSRF token;
 * the server streams them to disk and answers with what it attached. With an idempotencyKey
 * (one file), a retry never attaches the file twice. */
export async function upload<T>(path: string, files: File[], idempotencyKey?: string): Promise<T> {
  const form = new FormData()
  for (const f of files) form.append('file', f, f.name)
  if (!online.value || (typeof navigator !== 'undefined' && navigator.onLine === false)) {
    markDown()
    throw new ApiError(0, 'network', t('error.network'))
  }
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': lang.value === 'en' ? 'en' : 'vi', 'X-CSRF-Token': csrfToken }
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey
  let res: Response
  try {
    res = await fetch(path.startsWith(base) ? path : base + path, { method: 'POST', headers, body: form, credentials: 'same-origin' })
  } catch {
    markDown()
    throw new ApiError(0, 'network', t('error.network'))
  }
  markUp()
  if (!res.ok) {
    const e = await toApiError(res)
    if (res.status === 401 && onUnauthenticated) onUnauthenticated()
    throw e
  }
  return (await res.json()) as T
}

/** ListPage is the list shape of every collection. */
export interface ListPage<T> {
  items: T[]
  next_cursor: string
}

/** getAll follows next_cursor to the end, for the small lists a screen needs whole. */
export async function getAll<T>(path: string, query?: RequestOptions['query'], max = 2000): Promise<T[]> {
  const out: T[] = []
  let cursor = ''
  for (;;) {
    const page = await get<ListPage<T>>(path, { ...query, limit: 200, cursor })
    out.push(...page.items)
    if (!page.next_cursor || out.length >= max) return out
    cursor = page.next_cursor
  }
}
