// The helpers that turn the district dashboard's figures (GET /reports/summary) into what the
// screen shows.
import type { Summary } from './types'

/** Basis says which units figures count under: as they are now, or as they were then. */
export type Basis = 'now' | 'then'

/** basisOf reads the basis a URL's query carries (as=then); anything else is now, the default. */
export function basisOf(raw: unknown): Basis {
  return raw === 'then' ? 'then' : 'now'
}

/** basisQuery is the query that carries a basis in a URL: nothing for now, the default. */
export function basisQuery(b: Basis): { as?: 'then' } {
  return b === 'then' ? { as: 'then' } : {}
}

/** PeriodChoice is what the period picker holds. */
export interface PeriodChoice {
  period: 'month' | 'q1' | '6m' | '9m' | 'year'
  year: number
  month: number
}

/** periodQuery turns the picker's choice into query parameters. */
export function periodQuery(p: PeriodChoice): Record<string, string | number> {
  const q: Record<string, string | number> = { period: p.period, year: p.year }
  if (p.period === 'month') q.month = p.month
  return q
}

/** percent shows a rate (0–1) as "87,5%" the way Vietnamese offices write it, or "—" without a denominator. */
export function percent(rate: number | null | undefined, lang: 'vi' | 'en' = 'vi'): string {
  if (rate == null || Number.isNaN(rate)) return '—'
  const n = Math.round(rate * 1000) / 10
  return `${n.toLocaleString(lang === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 1 })}%`
}

/** LeagueRow is one commune's line in the league table. */
export interface LeagueRow {
  id: number
  name: string
  dialogues: number
  attendance: number
  petitions: number
  open: number
  overdue: number
  onTime: number | null
  satisfied: number | null
}

/** leagueRows flattens the communes of a summary for the league table. */
export function leagueRows(s: Summary | null): LeagueRow[] {
  return (s?.communes ?? []).map((c) => ({
    id: c.commune.id,
    name: c.commune.name,
    dialogues: c.figures.dialogues.took_place,
    attendance: c.figures.attendance.total,
    petitions: c.figures.petitions.total,
    open: c.figures.petitions.open,
    overdue: c.figures.petitions.overdue_open,
    onTime: c.figures.petitions.on_time.rate,
    satisfied: c.figures.petitions.satisfied.rate,
  }))
}

/** sortRows sorts league rows by a column; missing rates sort last whatever the direction. */
export function sortRows(rows: LeagueRow[], key: keyof LeagueRow, desc: boolean): LeagueRow[] {
  const collator = new Intl.Collator('vi')
  return [...rows].sort((a, b) => {
    const x = a[key]
    const y = b[key]
    if (x == null && y == null) return 0
    if (x == null) return 1
    if (y == null) return -1
    const c = typeof x === 'string' ? collator.compare(x, y as string) : (x as number) - (y as number)
    return desc ? -c : c
  })
}
