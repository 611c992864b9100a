// The server's rules for a petition typed at a dialogue (models/petitions.go, petitionDraft and
// petitionTopic), checked on the device before it is sent or queued: an entry made offline that
// breaks one is caught while the resident is still there, not refused hours later. The server
// still checks everything; these only repeat what needs no database.
import { ApiError } from './api'
import { t } from './i18n'
import { kinds, type Topic } from './types'

/** PetitionEntry is the body the run screen sends to POST /petitions. */
export interface PetitionEntry {
  hamlet_id: number
  kind: string
  topic_id: number | null
  content: string
  name: string
  anonymous: boolean
  onsite_answer: string
}

const runes = (s: string) => [...s.trim()].length

/** petitionProblems names each field of an entry the server would refuse, in the user's language. */
export function petitionProblems(e: PetitionEntry, topics: Topic[]): Record<string, string> {
  const out: Record<string, string> = {}
  if (!e.topic_id) out.topic_id = t('entry.required')
  else if (!topics.some((x) => x.id === e.topic_id && x.active)) out.topic_id = t('entry.topic')
  if (!e.hamlet_id) out.hamlet_id = t('entry.required')
  if (!(kinds as readonly string[]).includes(e.kind)) out.kind = t('entry.required')
  const n = runes(e.content)
  if (n < 10 || n > 4000) out.content = t('entry.content')
  if (e.anonymous && e.name.trim()) out.anonymous = t('entry.anonymous')
  if (runes(e.name) > 120) out.name = t('entry.name')
  if (runes(e.onsite_answer) > 4000) out.onsite_answer = t('entry.onsite')
  return out
}

/** checkPetition throws the problems of an entry as the server's 422 would. */
export function checkPetition(e: PetitionEntry, topics: Topic[]): void {
  const fields = petitionProblems(e, topics)
  if (Object.keys(fields).length) throw new ApiError(422, 'validation_failed', t('entry.invalid'), fields)
}
