// Whether the server can be reached. The first request that cannot reach it marks the server
// down; from then on requests fail at once (or answer from the device's copy) instead of each
// trying the network, and one probe of /healthz asks again with a growing pause (1 s, 2 s, 4 s …
// up to 30 s), or at once when the user presses "retry" or the browser says it is back online.
// When the probe answers, whatever waited to be reloaded or sent goes.
import { ref } from 'vue'

/** online is false while the server is known to be unreachable. */
export const online = ref(typeof navigator === 'undefined' ? true : navigator.onLine !== false)

/** retryIn is the number of seconds before the next probe while the server is down. */
export const retryIn = ref(0)

/** probeUrl is what the probe asks: the process is up and answering. */
export const probeUrl = '/healthz'

const firstDelay = 1000
const maxDelay = 30000

let delay = firstDelay
let probeTimer: ReturnType<typeof setTimeout> | undefined
let tick: ReturnType<typeof setInterval> | undefined
let probing = false
const listeners = new Set<() => void>()

/** onReconnect registers what to do when the server answers again; it returns the way to stop. */
export function onReconnect(fn: () => void): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

/** backoff returns the pauses before each of n probes: doubling from 1 s, at most 30 s. */
export function backoff(n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.min(firstDelay * 2 ** i, maxDelay))
}

function schedule(ms: number) {
  clearTimeout(probeTimer)
  clearInterval(tick)
  const at = Date.now() + ms
  retryIn.value = Math.ceil(ms / 1000)
  tick = setInterval(() => (retryIn.value = Math.max(0, Math.ceil((at - Date.now()) / 1000))), 1000)
  probeTimer = setTimeout(() => void probe(), ms)
}

/** markDown records that a request could not reach the server and starts probing. */
export function markDown(): void {
  if (!online.value) return
  online.value = false
  delay = firstDelay
  schedule(delay)
}

/** markUp records that the server answered; screens waiting for it reload. */
export function markUp(): void {
  clearTimeout(probeTimer)
  clearInterval(tick)
  retryIn.value = 0
  delay = firstDelay
  if (online.value) return
  online.value = true
  for (const fn of [...listeners]) fn()
}

/** probe asks the server once whether it is back, and schedules the next try when it is not. */
export async function probe(): Promise<boolean> {
  if (probing) return false
  probing = true
  try {
    // A browser that knows it has no network at all waits for its online event instead.
    if (typeof navigator !== 'undefined' && navigator.onLine === false) throw new Error('offline')
    const res = await fetch(probeUrl, { cache: 'no-store', credentials: 'same-origin' })
    if (res.ok) {
      markUp()
      return true
    }
  } catch {
    // still unreachable
  } finally {
    probing = false
  }
  delay = Math.min(delay * 2, maxDelay)
  if (!online.value) schedule(delay)
  return false
}

/** retryNow probes at once and starts the pauses over (the retry button, the browser's online event). */
export function retryNow(): Promise<boolean> {
  delay = firstDelay / 2
  clearTimeout(probeTimer)
  return probe()
}

/** stopProbing cancels any pending probe (tests). */
export function stopProbing(): void {
  clearTimeout(probeTimer)
  clearInterval(tick)
  probing = false
  delay = firstDelay
}
