// A small translation layer: Vietnamese by default, English on request, the choice remembered.
import { ref } from 'vue'
import { messages, type MessageKey } from './messages'

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
export const lang = ref<Lang>(initialLang())

/** setLang switches the language and remembers it for the next visit. */
export function setLang(l: Lang): void {
  lang.value = l
  try {
    globalThis.localStorage?.setItem(storageKey, l)
  } catch {
    // Private browsing may refuse storage; the switch still works for this visit.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = l
}

/** t returns the message for key in the current language, with {name} placeholders filled.
 * Numbers are written as the language writes them (1.409 in Vietnamese, 1,409 in English),
 * except a year, which is never grouped. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const dict = messages[lang.value] as Record<string, string>
  let s = dict[key] ?? (messages.vi as Record<string, string>)[key] ?? key
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
  return key in messages.vi
}

/** tCode translates an API code under a prefix ("state.answered"), falling back to the code itself. */
export function tCode(prefix: string, code: string | null | undefined): string {
  if (!code) return ''
  const key = `${prefix}.${code}`
  return has(key) ? t(key) : code
}
