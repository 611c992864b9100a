// What each role's home counts. Every tile is a list query the list screens understand, so a
// count opens exactly the list it counts.
import type { MessageKey } from './messages'

/** HomeTile is one count on a home page. */
export interface HomeTile {
  key: string
  label: MessageKey
  list: 'petitions' | 'dialogues'
  query: Record<string, string>
  /** alert marks a count that should be zero (late petitions, minutes not closed). */
  alert?: boolean
}

/** unanswered are the open states before an answer is published. */
export const unanswered = 'received,assigned,in_progress,referred,reopened'

const late: HomeTile = { key: 'late', label: 'home.late', list: 'petitions', query: { overdue: 'true' }, alert: true }
const toAnswer: HomeTile = { key: 'to-answer', label: 'home.toAnswer', list: 'petitions', query: { status: unanswered } }
const toClose: HomeTile = { key: 'to-close', label: 'home.toClose', list: 'petitions', query: { status: 'answered' } }
const toAssign: HomeTile = { key: 'to-assign', label: 'home.toAssign', list: 'petitions', query: { status: 'received,reopened' } }
const dueSoon: HomeTile = { key: 'due-soon', label: 'home.dueSoon', list: 'petitions', query: { due_soon: 'true' } }
const minutes: HomeTile = { key: 'minutes', label: 'home.minutes', list: 'dialogues', query: { status: 'held' }, alert: false }
const minutesLate: HomeTile = { key: 'minutes-late', label: 'home.minutesLate', list: 'dialogues', query: { minutes_overdue: 'true' }, alert: true }
const mine: HomeTile = { key: 'mine', label: 'home.mine', list: 'petitions', query: { assignee: 'me', state_type: 'open' } }
const planned: HomeTile = { key: 'planned', label: 'home.planned', list: 'dialogues', query: { status: 'planned' } }

/** homeTiles lists the counts a role starts the day with. */
export function homeTiles(role: string): HomeTile[] {
  switch (role) {
    case 'commune_chair':
      return [toAnswer, late, toClose, minutes, minutesLate, mine]
    case 'secretary':
      return [toAssign, dueSoon, toAnswer, late, minutes, mine]
    case 'inspector':
      return [toAnswer, late, toClose, planned]
    case 'admin':
      return [late, minutesLate]
    default:
      return []
  }
}
