// What a screen shows while it asks the server for something: loading, failed (with why, and a
// way to try again), or loaded. A failure because the server could not be reached is retried
// by itself when the connection returns; an answer that arrives after a newer question was
// asked is dropped, so old figures never replace new ones.
import { getCurrentInstance, onUnmounted, ref } from 'vue'
import { ApiError } from './api'
import { onReconnect } from './connection'
import { t } from './i18n'

/** LoadState is where one load stands. */
export type LoadState = 'idle' | 'loading' | 'ok' | 'failed'

/** Loader runs one screen's load. */
export interface Loader<A extends unknown[]> {
  state: { value: LoadState }
  error: { value: string }
  /** run loads again; its answer is applied only if no newer run started meanwhile. */
  run: (...args: A) => Promise<void>
}

/** useLoad wraps fetch (which asks the server) and apply (which puts its answer on screen). */
export function useLoad<A extends unknown[], T>(fetch: (...args: A) => Promise<T>, apply: (data: T, ...args: A) => void): Loader<A> {
  const state = ref<LoadState>('idle')
  const error = ref('')
  let seq = 0
  let last: A | null = null

  async function run(...args: A): Promise<void> {
    const mine = ++seq
    last = args
    state.value = 'loading'
    error.value = ''
    try {
      const data = await fetch(...args)
      if (mine !== seq) return
      apply(data, ...args)
      state.value = 'ok'
    } catch (err) {
      if (mine !== seq) return
      state.value = 'failed'
      // An unreachable server has its own banner and reload; other failures say what went wrong.
      error.value = err instanceof ApiError ? (err.isNetwork ? '' : err.message) : t('load.failed')
    }
  }

  const stop = onReconnect(() => {
    if (state.value === 'failed' && last) void run(...last)
  })
  if (getCurrentInstance()) onUnmounted(stop)
  return { state, error, run }
}
