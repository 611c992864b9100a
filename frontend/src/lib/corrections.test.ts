import { describe, expect, it } from 'vitest'
import { changeLine, changesOf, correctionBody } from './corrections'
import type { PetitionEvent } from './types'

const label = (f: string) => ({ hamlet_id: 'Ấp', name: 'Họ tên', phone: 'Điện thoại' })[f] ?? f
const name = (f: string, v: unknown) => (f === 'hamlet_id' ? `Ấp #${v}` : String(v))

describe('corrections', () => {
  it('reads the changes of a correction event only', () => {
    const e = { kind: 'corrected', data: { changes: [{ field: 'hamlet_id', from: 1, to: 2 }] } } as unknown as PetitionEvent
    expect(changesOf(e)).toHaveLength(1)
    expect(changesOf({ ...e, kind: 'note' } as PetitionEvent)).toEqual([])
  })

  it('writes before → after, an empty value as a dash, and a hidden one as hidden', () => {
    expect(changeLine({ field: 'hamlet_id', from: 1, to: 2 }, label, name, '(ẩn)')).toBe('Ấp: Ấp #1 → Ấp #2')
    expect(changeLine({ field: 'phone', from: '', to: '0912 345 678' }, label, name, '(ẩn)')).toBe('Điện thoại: — → 0912 345 678')
    expect(changeLine({ field: 'name', hidden: true }, label, name, '(ẩn)')).toBe('Họ tên: (ẩn)')
  })

  it('sends only what differs, with the version', () => {
    const current = { hamlet_id: 5, content: 'Đường ngập', name: 'Ba', phone: '' }
    const typed = { hamlet_id: '6', content: ' Đường ngập ', name: 'Ba', phone: '0912' }
    expect(correctionBody(current, typed, ['hamlet_id', 'content', 'name', 'phone', 'kind'], 3)).toEqual({ hamlet_id: 6, phone: '0912', version: 3 })
  })
})
