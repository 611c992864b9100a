// Short messages at the top of the screen: confirmations and errors that belong to no form.
import { reactive } from 'vue'
import { ApiError } from './api'

/** Notice is one message on screen. */
export interface Notice {
  id: number
  kind: 'ok' | 'error' | 'info'
  text: string
}

/** notices are the messages now showing. */
export const notices = reactive<Notice[]>([])
let next = 1

/** notify shows a message for a while (errors stay until closed). */
export function notify(text: string, kind: Notice['kind'] = 'ok'): void {
  const id = next++
  notices.push({ id, kind, text })
  if (kind !== 'error') setTimeout(() => dismiss(id), 5000)
}

/** notifyError shows what went wrong with a request that no form owns. */
export function notifyError(err: unknown): void {
  // An unreachable server has its one banner (App.vue); a notice per failed request would bury it.
  if (err instanceof ApiError && err.isNetwork) return
  const text = err instanceof ApiError ? err.message : (err as Error)?.message || String(err)
  notify(text, 'error')
}

/** dismiss removes a message. */
export function dismiss(id: number): void {
  const i = notices.findIndex((n) => n.id === id)
  if (i >= 0) notices.splice(i, 1)
}
