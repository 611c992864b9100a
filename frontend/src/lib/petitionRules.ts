// The server's rules for a petition typed at a dialogue (models/petitions.go, petitionDraft and
// petitionTopic; models/intake.go, intakeDraft and requireIdentification), checked on the device before it is sent or queued: an entry made offline that
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
  /** id_number is the petitioner's identification (số định danh), required by requiresID. */
  id_number?: string
  anonymous: boolean
  onsite_answer: string
}

/** identificationFrom is the first day a complaint or denunciation needs its petitioner's
 * identification (models.IdentificationFrom). */
export const identificationFrom = '2026-07-01'

/** requiresID tells whether a petition of kind received on day (yyyy-mm-dd in Vietnam) needs the
 * petitioner's name and identification number: a complaint or a denunciation from 1 July 2026. */
export function requiresID(kind: string, day: string): boolean {
  return (kind === 'khieu_nai' || kind === 'to_cao') && day >= identificationFrom
}

// idNumberPattern: 12 digits (căn cước), 9 digits (old identity card) or a passport number.
const idNumberPattern = /^([0-9]{12}|[0-9]{9}|[A-Z][0-9]{7,8})$/

/** cleanID writes an identification number as the server keeps it: upper case, no spaces. */
export const cleanID = (s: string) => s.trim().replace(/ /g, '').toUpperCase()

const runes = (s: string) => [...s.trim()].length

/** petitionProblems names each field of an entry received on day (yyyy-mm-dd, the dialogue's
 * day) the server would refuse, in the user's language. */
export function petitionProblems(e: PetitionEntry, topics: Topic[], day: string): Record<string, string> {
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
  const id = cleanID(e.id_number ?? '')
  if (e.anonymous && id) out.id_number = t('entry.idAnonymous')
  else if (id && !idNumberPattern.test(id)) out.id_number = t('entry.idNumber')
  if (requiresID(e.kind, day)) {
    if (!id) out.id_number = t('entry.idRequired')
    if (!e.name.trim()) out.name = t('entry.idRequired')
  }
  return out
}

/** checkPetition throws the problems of an entry as the server's 422 would. */
export function checkPetition(e: PetitionEntry, topics: Topic[], day: string): void {
  const fields = petitionProblems(e, topics, day)
  if (Object.keys(fields).length) throw new ApiError(422, 'validation_failed', t('entry.invalid'), fields)
}
