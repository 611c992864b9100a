import { describe, expect, it } from 'vitest'
import { buildTree, flatten, hamletsOf } from './units'
import type { Unit } from './types'

const u = (id: number, parent: number | null, level: Unit['level'], name: string): Unit => ({ id, parent_id: parent, level, name, code: null, version: 1, created_at: '', updated_at: '' })

describe('buildTree', () => {
  it('nests units under their parents, sorted the Vietnamese way', () => {
    const units = [u(3, 2, 'commune', 'Tân Thới'), u(2, 1, 'district', 'Tân Phú Đông'), u(1, null, 'province', 'Tiền Giang'), u(4, 2, 'commune', 'Phú Thạnh'), u(5, 3, 'hamlet', 'Ấp Tân Hòa')]
    const rows = flatten(buildTree(units))
    expect(rows.map((r) => [r.unit.name, r.depth])).toEqual([
      ['Tiền Giang', 0],
      ['Tân Phú Đông', 1],
      ['Phú Thạnh', 2],
      ['Tân Thới', 2],
      ['Ấp Tân Hòa', 3],
    ])
  })

  it('makes a unit whose parent is out of sight a root', () => {
    const rows = flatten(buildTree([u(3, 2, 'commune', 'Tân Thới'), u(5, 3, 'hamlet', 'Ấp Tân Hòa')]))
    expect(rows.map((r) => r.depth)).toEqual([0, 1])
  })

  it('lists the hamlets of one commune', () => {
    const units = [u(3, 2, 'commune', 'A'), u(5, 3, 'hamlet', 'Ấp B'), u(6, 3, 'hamlet', 'Ấp A'), u(7, 4, 'hamlet', 'Ấp C')]
    expect(hamletsOf(units, 3).map((h) => h.name)).toEqual(['Ấp A', 'Ấp B'])
  })
})
