import { describe, expect, it } from 'vitest'
import { basisOf, basisQuery, percent, periodQuery, sortRows, type LeagueRow } from './reports'

describe('reports helpers', () => {
  it('builds the period query', () => {
    expect(periodQuery({ period: 'month', year: 2026, month: 3 })).toEqual({ period: 'month', year: 2026, month: 3 })
    expect(periodQuery({ period: '6m', year: 2026, month: 3 })).toEqual({ period: '6m', year: 2026 })
  })

  it('reads and writes the now/then basis of a shared link, now by default', () => {
    expect(basisOf('then')).toBe('then')
    expect(basisOf('now')).toBe('now')
    expect(basisOf(undefined)).toBe('now')
    expect(basisOf(['then'])).toBe('now')
    expect(basisOf('THEN')).toBe('now')
    expect(basisQuery('then')).toEqual({ as: 'then' })
    expect(basisQuery('now')).toEqual({})
  })

  it('shows rates as percentages, with a dash when nothing was counted', () => {
    expect(percent(0.875)).toBe('87,5%')
    expect(percent(0.75)).toBe('75%')
    expect(percent(1, 'en')).toBe('100%')
    expect(percent(null)).toBe('—')
  })

  it('sorts the league table with missing rates last', () => {
    const r = (name: string, onTime: number | null): LeagueRow => ({ id: 0, name, dialogues: 0, attendance: 0, petitions: 0, open: 0, overdue: 0, onTime, satisfied: null })
    const rows = [r('Tân Thới', 0.5), r('Phú Thạnh', null), r('Tân Phú', 0.9)]
    expect(sortRows(rows, 'onTime', true).map((x) => x.name)).toEqual(['Tân Phú', 'Tân Thới', 'Phú Thạnh'])
    expect(sortRows(rows, 'onTime', false).map((x) => x.name)).toEqual(['Tân Thới', 'Tân Phú', 'Phú Thạnh'])
    expect(sortRows(rows, 'name', false).map((x) => x.name)).toEqual(['Phú Thạnh', 'Tân Phú', 'Tân Thới'])
  })
})
