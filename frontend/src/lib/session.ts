// The signed-in user, as GET /auth/me describes them, and what their role lets the menu offer.
import { ref } from 'vue'
import { forgetKept, get, post, setCsrfToken } from './api'
import type { Me } from './types'

// The hint spares a request (and a 401 in the console) when nobody has signed in on this device.
const hintKey = 'papi.signedIn'
// The last known user, without the CSRF token, so the app still opens without a connection.
const meKey = 'papi.me'

/** me is the signed-in user, or null. */
export const me = ref<Me | null>(null)

/** ready turns true once the session has been checked at start. */
export const ready = ref(false)

/** stale is true while the user comes from the device's copy (offline start): no CSRF token yet. */
export const stale = ref(false)

function remember(m: Me | null) {
  me.value = m
  stale.value = false
  setCsrfToken(m?.csrf_token ?? '')
  try {
    if (m) {
      localStorage.setItem(hintKey, '1')
      localStorage.setItem(meKey, JSON.stringify({ ...m, csrf_token: '' }))
    } else {
      localStorage.removeItem(hintKey)
      localStorage.removeItem(meKey)
      forgetKept()
    }
  } catch {
    // Storage refused: the app still works, it just asks the server each time.
  }
}

/** loadSession asks the server who is signed in, if anyone may be. */
export async function loadSession(): Promise<void> {
  try {
    let hinted = true
    try {
      hinted = localStorage.getItem(hintKey) === '1'
    } catch {
      hinted = true
    }
    if (hinted) remember(await get<Me>('/auth/me'))
  } catch (err) {
    if ((err as { status?: number }).status === 0) {
      // Offline at start: open with the last known user; the session is checked when the
      // connection returns, before anything waiting is sent.
      try {
        const kept = localStorage.getItem(meKey)
        if (kept) {
          me.value = JSON.parse(kept) as Me
          stale.value = true
        }
      } catch {
        me.value = null
      }
    } else remember(null)
  } finally {
    ready.value = true
  }
}

/** login signs in and remembers the session. */
export async function login(username: string, password: string): Promise<Me> {
  const m = await post<Me>('/auth/login', { username, password })
  remember(m)
  return m
}

/** logout ends the session on the server and here. */
export async function logout(): Promise<void> {
  try {
    await post('/auth/logout')
  } finally {
    remember(null)
  }
}

/** refreshMe takes the signed-in user as the server now describes them (after editing oneself). */
export function refreshMe(m: Me): void {
  remember(m)
}

/** passwordChanged notes that the user now has a password the rules accept. */
export function passwordChanged(): void {
  if (me.value?.password_change_required) remember({ ...me.value, password_change_required: false })
}

/** forget drops the session after the server said it has ended. */
export function forget(): void {
  remember(null)
}

/** can tells whether the signed-in user holds a permission. */
export function can(p: string): boolean {
  return !!me.value?.permissions.includes(p)
}
