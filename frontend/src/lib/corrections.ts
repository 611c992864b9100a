// A petition's corrections as the history shows them: each changed field, before → after. The
// server sends the petitioner's fields as hidden to whoever may not know the petitioner.
import type { PetitionEvent } from './types'

/** CorrectionChange is one field of a correction event. */
export interface CorrectionChange {
  field: string
  from?: unknown
  to?: unknown
  hidden?: boolean
}

/** correctionFields are the fields a correction may change, in the order the dialog shows them. */
export const correctionFields = ['hamlet_id', 'topic_id', 'kind', 'channel', 'content', 'name', 'phone', 'address', 'id_number'] as const

/** changesOf returns the changes of a correction event; none for other events. */
export function changesOf(e: PetitionEvent): CorrectionChange[] {
  if (e.kind !== 'corrected') return []
  const changes = (e.data as { changes?: unknown } | undefined)?.changes
  return Array.isArray(changes) ? (changes as CorrectionChange[]) : []
}

/** ValueNamer names a field's stored value as the screen shows it (a hamlet's name for its id). */
export type ValueNamer = (field: string, value: unknown) => string

/** changeLine writes one change as "Ấp: Ấp Tân Hòa → Ấp Tân Bình"; hidden values as the hidden word. */
export function changeLine(c: CorrectionChange, label: (field: string) => string, name: ValueNamer, hidden: string): string {
  const show = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : name(c.field, v))
  if (c.hidden) return `${label(c.field)}: ${hidden}`
  return `${label(c.field)}: ${show(c.from)} → ${show(c.to)}`
}

/** correctionBody is what a correction sends: the fields whose typed value differs from the
 * petition's, and the version it was read at. */
export function correctionBody(
  current: Record<string, unknown>,
  typed: Record<string, string>,
  fields: readonly string[],
  version: number,
): Record<string, unknown> {
  const body: Record<string, unknown> = {}
  for (const f of fields) {
    if (!(f in typed)) continue
    const isID = f === 'hamlet_id' || f === 'topic_id'
    const value = isID ? Number(typed[f]) || 0 : typed[f].trim()
    const was = current[f] ?? (isID ? 0 : '')
    if (value !== was) body[f] = value
  }
  body.version = version
  return body
}
