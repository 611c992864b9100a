// The names of the fields an offline write carries, as the screens label them, so a refusal
// reads "Lĩnh vực: …" rather than "topic_id: …".
import { t, tCode } from './i18n'
import type { MessageKey } from './messages'

const labels: Record<string, MessageKey> = {
  topic_id: 'petitions.topic',
  topic_code: 'petitions.topic',
  hamlet_id: 'petitions.hamlet',
  commune_id: 'petitions.commune',
  kind: 'petitions.kind',
  content: 'petitions.content',
  name: 'petitions.name',
  id_number: 'intake.idNumber',
  onsite_answer: 'petitions.onsite',
}

/** fieldLabel names a field of a queued write in the user's language. */
export function fieldLabel(field: string): string {
  if (labels[field]) return t(labels[field])
  if (['residents', 'businesses', 'officials', 'women'].includes(field)) return tCode('attendance', field)
  return field
}
