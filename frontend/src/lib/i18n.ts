// A small translation layer: Vietnamese by default, English on request, the choice remembered.
// The English texts load only when English is chosen, so the first visit on a slow link does
// not carry them.
import { ref, shallowRef } from 'vue'
import { vi, type MessageKey } from './messages'

/** Lang is a language the app speaks. */
export type Lang = 'vi' | 'en'

const storageKey = 'papi.lang'

function initialLang(): Lang {
  try {
    return globalThis.localStorage?.getItem(storageKey) === 'en' ? 'en' : 'vi'
  } catch {
    return 'vi'
  }
}

/** lang is the language in use; views re-render when it changes. */
export const lang = ref<Lang>('vi')

const en = shallowRef<Record<MessageKey, string> | null>(null)
let english: Promise<boolean> | null = null
let wanted: Lang = 'vi'

// loadEnglish fetches the English texts once; false when they could not be loaded (offline on a
// device that never had them), and the next call tries again.
function loadEnglish(): Promise<boolean> {
  english ??= import('./messages.en').then(
    (m) => {
      en.value = m.default
      return true
    },
    () => {
      english = null
      return false
    },
  )
  return english
}

/** setLang remembers the language for the next visit at once (a page left before the texts have
 * loaded still opens in it) and switches to it once its texts are loaded. */
export async function setLang(l: Lang): Promise<void> {
  wanted = l
  try {
    globalThis.localStorage?.setItem(storageKey, l)
  } catch {
    // Private browsing may refuse storage; the switch still works for this visit.
  }
  if (l === 'en' && !en.value && !(await loadEnglish())) return
  // Switched back while the texts were loading: the last choice wins.
  if (wanted !== l) return
  lang.value = l
  if (typeof document !== 'undefined') document.documentElement.lang = l
}

/** langReady settles once the language remembered from the last visit can be shown. */
export const langReady: Promise<void> = initialLang() === 'en' ? setLang('en') : Promise.resolve()

/** t returns the message for key in the current language, with {name} placeholders filled.
 * Numbers are written as the language writes them (1.409 in Vietnamese, 1,409 in English),
 * except a year, which is never grouped. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const dict: Record<string, string> = (lang.value === 'en' && en.value) || vi
  let s = dict[key] ?? (vi as Record<string, string>)[key] ?? key
  if (params) {
    for (const [k, v] of Object.entries(params)) s = s.split(`{${k}}`).join(typeof v === 'number' && k !== 'year' ? localNumber(v) : String(v))
  }
  return s
}

/** localNumber writes a number in the current language: 1.409 and 2,5 in Vietnamese. */
export function localNumber(n: number): string {
  return n.toLocaleString(lang.value === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 1 })
}

/** has tells whether key names a message, for labels built from API codes. */
export function has(key: string): key is MessageKey {
  return key in vi
}

/** tCode translates an API code under a prefix ("state.answered"), falling back to the code itself. */
export function tCode(prefix: string, code: string | null | undefined): string {
  if (!code) return ''
  const key = `${prefix}.${code}`
  return has(key) ? t(key) : code
}
