// Form state shared by every screen that writes: per-field messages from the server shown next
// to their fields, and whatever no field claims shown above the form, so nothing fails silently.
import { reactive, ref } from 'vue'
import { ApiError } from './api'
import { t } from './i18n'

/** fieldRoot maps an API field path ("agenda[0].title", "attendees[2]") to the input it belongs to. */
export function fieldRoot(name: string): string {
  const m = /^[^.[]+/.exec(name)
  return m ? m[0] : name
}

/** Form tracks one form's busy flag and errors. */
export interface Form {
  busy: { value: boolean }
  message: { value: string }
  fields: Record<string, string>
  error: { value: ApiError | null }
  /** run calls fn, clearing old errors first; it returns fn's result, or undefined when it failed. */
  run<T>(fn: () => Promise<T>): Promise<T | undefined>
  /** fail shows an error as if fn had thrown it. */
  fail(err: unknown): void
  /** clear forgets every error. */
  clear(): void
  /** unclaimed lists the field messages no visible input shows, as "field: message". */
  unclaimed(known: string[]): string[]
}

/** useForm returns a fresh Form. */
export function useForm(): Form {
  const busy = ref(false)
  const message = ref('')
  const error = ref<ApiError | null>(null)
  const fields = reactive<Record<string, string>>({})

  function clear() {
    message.value = ''
    error.value = null
    for (const k of Object.keys(fields)) delete fields[k]
  }

  function fail(err: unknown) {
    clear()
    if (err instanceof ApiError) {
      error.value = err
      message.value = err.message
      for (const [k, v] of Object.entries(err.fields)) {
        fields[k] = v
        const root = fieldRoot(k)
        if (root !== k && !fields[root]) fields[root] = v
      }
    } else {
      message.value = (err as Error)?.message || t('error.unknown', { status: '?' })
    }
  }

  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    clear()
    busy.value = true
    try {
      return await fn()
    } catch (err) {
      fail(err)
      return undefined
    } finally {
      busy.value = false
    }
  }

  function unclaimed(known: string[]): string[] {
    const set = new Set(known)
    return Object.entries(fields)
      .filter(([k]) => !set.has(k) && !set.has(fieldRoot(k)))
      .filter(([k]) => fieldRoot(k) === k || !(fieldRoot(k) in fields))
      .map(([k, v]) => `${k}: ${v}`)
  }

  return { busy, message, fields, error, run, fail, clear, unclaimed }
}
