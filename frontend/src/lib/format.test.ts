import { describe, expect, it } from 'vitest'
import { addDays, dayKey, formatNumber, formatDate, formatDateTime, fromLocalInput, monthGrid, monthRange, toLocalInput, today } from './format'

describe('dates in Asia/Ho_Chi_Minh', () => {
  it('shows dd/mm/yyyy in Vietnam whatever the instant’s offset', () => {
    // 18:30 UTC on 31 Dec is already 1 Jan in Vietnam.
    expect(formatDate('2025-12-31T18:30:00Z')).toBe('01/01/2026')
    expect(formatDateTime('2025-12-31T18:30:00Z')).toBe('01/01/2026 01:30')
    expect(formatDateTime('2026-03-05T08:05:00+07:00')).toBe('05/03/2026 08:05')
  })

  it('takes a bare date as a Vietnamese calendar day', () => {
    expect(formatDate('2026-02-28')).toBe('28/02/2026')
    expect(dayKey('2026-02-28')).toBe('2026-02-28')
  })

  it('shows nothing for missing or invalid values', () => {
    expect(formatDate(null)).toBe('')
    expect(formatDate('not a date')).toBe('')
    expect(fromLocalInput('2026-13')).toBeNull()
  })

  it('round-trips datetime-local inputs through +07:00', () => {
    expect(fromLocalInput('2026-04-10T19:30')).toBe('2026-04-10T19:30:00+07:00')
    expect(toLocalInput('2026-04-10T12:30:00Z')).toBe('2026-04-10T19:30')
  })

  it('knows today in Vietnam', () => {
    expect(today(new Date('2026-06-30T17:00:00Z'))).toBe('2026-07-01')
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01')
  })

  it('lays out a month Monday first', () => {
    const weeks = monthGrid(2026, 2) // 1 Feb 2026 is a Sunday
    expect(weeks[0][0]).toBe('2026-01-26')
    expect(weeks[0][6]).toBe('2026-02-01')
    expect(weeks.every((w) => w.length === 7)).toBe(true)
    expect(weeks.flat()).toContain('2026-02-28')
    expect(monthRange(2026, 12)).toEqual({ from: '2026-12-01T00:00:00+07:00', to: '2027-01-01T00:00:00+07:00' })
  })
})

describe('typed dates and times', () => {
  it('reads dd/mm/yyyy and refuses days that do not exist', async () => {
    const { parseDay, showDay } = await import('./format')
    expect(parseDay('05/03/2026')).toBe('2026-03-05')
    expect(parseDay('5/3/2026')).toBe('2026-03-05')
    expect(parseDay('29-02-2028')).toBe('2028-02-29')
    expect(parseDay('29/02/2026')).toBeNull()
    expect(parseDay('2026-03-05')).toBeNull()
    expect(showDay('2026-03-05')).toBe('05/03/2026')
  })

  it('reads 24-hour times', async () => {
    const { parseTime } = await import('./format')
    expect(parseTime('19:30')).toBe('19:30')
    expect(parseTime('7:05')).toBe('07:05')
    expect(parseTime('1930')).toBe('19:30')
    expect(parseTime('8h')).toBe('08:00')
    expect(parseTime('19h30')).toBe('19:30')
    expect(parseTime('24:00')).toBeNull()
    expect(parseTime('ab')).toBeNull()
  })
})

describe('formatNumber', () => {
  it('separates thousands with dots, as Vietnamese offices write them', () => {
    expect(formatNumber(1409)).toBe('1.409')
    expect(formatNumber(1234567)).toBe('1.234.567')
    expect(formatNumber(12)).toBe('12')
    expect(formatNumber(null)).toBe('—')
  })
})
