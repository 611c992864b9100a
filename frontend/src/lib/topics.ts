// Topic names in the language in use.
import { lang } from './i18n'
import type { Topic } from './types'

/** topicName returns a topic's name in the current language. */
export function topicName(t: Pick<Topic, 'name_vi' | 'name_en'> | null | undefined): string {
  if (!t) return ''
  return lang.value === 'en' ? t.name_en || t.name_vi : t.name_vi
}
