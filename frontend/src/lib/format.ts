// Dates as Vietnamese offices write them: dd/mm/yyyy, always in Asia/Ho_Chi_Minh, whatever the
// device's own time zone.

/** zone is the time zone every date is shown and entered in. */
export const zone = 'Asia/Ho_Chi_Minh'

// Vietnam keeps +07:00 all year (no daylight saving), so local input converts with a fixed offset.
const offset = '+07:00'

const partsFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: zone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

interface Parts {
  year: string
  month: string
  day: string
  hour: string
  minute: string
}

function parts(d: Date): Parts {
  const out: Record<string, string> = {}
  for (const p of partsFmt.formatToParts(d)) out[p.type] = p.value
  return out as unknown as Parts
}

function toDate(v: string | Date | null | undefined): Date | null {
  if (!v) return null
  if (v instanceof Date) return isNaN(v.getTime()) ? null : v
  // A bare date (yyyy-mm-dd) is a calendar day in Vietnam, not midnight UTC.
  const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00${offset}`) : new Date(v)
  return isNaN(d.getTime()) ? null : d
}

/** formatDate shows a timestamp or calendar day as dd/mm/yyyy in Vietnam. */
export function formatDate(v: string | Date | null | undefined): string {
  const d = toDate(v)
  if (!d) return ''
  const p = parts(d)
  return `${p.day}/${p.month}/${p.year}`
}

/** formatDateTime shows a timestamp as dd/mm/yyyy HH:mm in Vietnam. */
export function formatDateTime(v: string | Date | null | undefined): string {
  const d = toDate(v)
  if (!d) return ''
  const p = parts(d)
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`
}

/** formatTime shows HH:mm in Vietnam. */
export function formatTime(v: string | Date | null | undefined): string {
  const d = toDate(v)
  if (!d) return ''
  const p = parts(d)
  return `${p.hour}:${p.minute}`
}

/** toLocalInput turns a timestamp into the value of a datetime-local input (Vietnam time). */
export function toLocalInput(v: string | Date | null | undefined): string {
  const d = toDate(v)
  if (!d) return ''
  const p = parts(d)
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`
}

/** fromLocalInput turns a datetime-local value typed in Vietnam time into RFC 3339. */
export function fromLocalInput(v: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) return null
  return `${v}:00${offset}`
}

/** dayKey returns yyyy-mm-dd of the Vietnamese calendar day a timestamp falls on. */
export function dayKey(v: string | Date): string {
  const d = toDate(v)
  if (!d) return ''
  const p = parts(d)
  return `${p.year}-${p.month}-${p.day}`
}

/** today returns today's yyyy-mm-dd in Vietnam. */
export function today(now: Date = new Date()): string {
  return dayKey(now)
}

/** addDays returns the yyyy-mm-dd n days after day. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** monthGrid returns the weeks (Monday first) of a month as yyyy-mm-dd, padded with the
 * neighbouring months' days so every week has seven. month is 1–12. */
export function monthGrid(year: number, month: number): string[][] {
  const first = new Date(Date.UTC(year, month - 1, 1))
  const lead = (first.getUTCDay() + 6) % 7 // days before the 1st back to Monday
  const start = addDays(first.toISOString().slice(0, 10), -lead)
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate()
  const weeks = Math.ceil((lead + days) / 7)
  const out: string[][] = []
  for (let w = 0; w < weeks; w++) {
    const week: string[] = []
    for (let i = 0; i < 7; i++) week.push(addDays(start, w * 7 + i))
    out.push(week)
  }
  return out
}

/** monthRange returns the RFC 3339 bounds [from, to) of a Vietnamese calendar month. */
export function monthRange(year: number, month: number): { from: string; to: string } {
  const pad = (n: number) => String(n).padStart(2, '0')
  const ny = month === 12 ? year + 1 : year
  const nm = month === 12 ? 1 : month + 1
  return { from: `${year}-${pad(month)}-01T00:00:00${offset}`, to: `${ny}-${pad(nm)}-01T00:00:00${offset}` }
}

/** parseDay reads a day typed the Vietnamese way (dd/mm/yyyy; d/m/yyyy, dashes or dots too)
 * and returns yyyy-mm-dd, or null when it is no real day. */
export function parseDay(s: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(s)
  if (!m) return null
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/** showDay turns yyyy-mm-dd into dd/mm/yyyy. */
export function showDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day)
  return m ? `${m[3]}/${m[2]}/${m[1]}` : ''
}

/** parseTime reads a 24-hour time (19:30, 7:05, 1930, 19h30) and returns HH:mm, or null. */
export function parseTime(s: string): string | null {
  const m = /^\s*(\d{1,2})\s*(?:[:hH.]\s*(\d{2})?|(\d{2}))?\s*$/.exec(s)
  if (!m) return null
  const h = Number(m[1])
  const min = Number(m[2] ?? m[3] ?? 0)
  if (h > 23 || min > 59) return null
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`
}

/** formatNumber writes a count the Vietnamese way, thousands separated by dots: 1.409. */
export function formatNumber(n: number | null | undefined): string {
  if (n == null || Number.isNaN(n)) return '—'
  return n.toLocaleString('vi-VN', { maximumFractionDigits: 1 })
}
