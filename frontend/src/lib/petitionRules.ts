// A new petition checked on the device before it is sent or queued, by the server's own rules
// (GET /petitions/rules, from models/petition_rules.go): an entry made offline that breaks one is
// caught while the resident is still there, not refused hours later. This file only interprets
// those rules; the server still judges everything that is sent.
import { ApiError } from './api'
import { lang, t } from './i18n'
import type { PetitionRules, Topic } from './types'

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

type Text = PetitionRules['required']
type TextRule = PetitionRules['content']

/** say words a rule's message in the user's language. */
const say = (m: Text) => (lang.value === 'en' ? m.en : m.vi)

/** requiresID tells whether a petition of kind received on day (yyyy-mm-dd in Vietnam) needs the
 * petitioner's name and identification number (no rules yet: the server will say). */
export function requiresID(rules: PetitionRules | null, kind: string, day: string): boolean {
  const r = rules?.identification
  return !!r && (r.kinds as string[]).includes(kind) && day >= r.from
}

/** cleanID writes an identification number as the server keeps it: upper case, no spaces. */
export const cleanID = (s: string) => s.trim().replace(/ /g, '').toUpperCase()

const runes = (s: string) => [...s.trim()].length
const fits = (r: TextRule, s: string) => runes(s) >= r.min && runes(s) <= r.max

/** petitionProblems names each field of an entry received on day (yyyy-mm-dd, the dialogue's
 * day) the server's rules refuse, in the user's language. */
export function petitionProblems(rules: PetitionRules, e: PetitionEntry, topics: Topic[], day: string): Record<string, string> {
  const out: Record<string, string> = {}
  if (!e.topic_id) out.topic_id = say(rules.required)
  else if (!topics.some((x) => x.id === e.topic_id && x.active)) out.topic_id = say(rules.topic)
  if (!e.hamlet_id) out.hamlet_id = say(rules.required)
  if (!(rules.kinds as string[]).includes(e.kind)) out.kind = say(rules.required)
  if (!fits(rules.content, e.content)) out.content = say(rules.content.message)
  if (e.anonymous && e.name.trim()) out.anonymous = say(rules.anonymous)
  if (!fits(rules.name, e.name)) out.name = say(rules.name.message)
  if (!fits(rules.onsite_answer, e.onsite_answer)) out.onsite_answer = say(rules.onsite_answer.message)
  const id = cleanID(e.id_number ?? '')
  if (e.anonymous && id) out.id_number = say(rules.id_number.anonymous)
  else if (id && !new RegExp(rules.id_number.pattern).test(id)) out.id_number = say(rules.id_number.message)
  if (requiresID(rules, e.kind, day)) {
    if (!id) out.id_number = say(rules.identification.message)
    if (!e.name.trim()) out.name = say(rules.identification.message)
  }
  return out
}

/** checkPetition throws the problems of an entry as the server's 422 would; without rules (never
 * loaded on this device) it leaves the judgement to the server. */
export function checkPetition(rules: PetitionRules | null, e: PetitionEntry, topics: Topic[], day: string): void {
  if (!rules) return
  const fields = petitionProblems(rules, e, topics, day)
  if (Object.keys(fields).length) throw new ApiError(422, 'validation_failed', t('entry.invalid'), fields)
}
