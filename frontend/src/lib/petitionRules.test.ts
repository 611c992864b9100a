import { afterEach, describe, expect, it } from 'vitest'
import { petitionProblems, checkPetition, requiresID, type PetitionEntry } from './petitionRules'
import { lang } from './i18n'
import type { PetitionRules, Topic } from './types'
// The rules as the server serves them and what models refuse of each case, written by
// models/petition_rules_test.go, which fails when either changes without it.
import fixture from './petitionRules.fixture.json'

const rules = fixture.rules as PetitionRules
const topics = fixture.topics as unknown as Topic[]
const day = '2026-12-02'
const good: PetitionEntry = { hamlet_id: 5, kind: 'kien_nghi', topic_id: 1, content: 'Đề nghị sửa đường liên ấp.', name: '', anonymous: false, onsite_answer: '' }

afterEach(() => {
  lang.value = 'vi'
})

describe('petition rules on the device', () => {
  it('refuses exactly what models refuse, field by field, as the server words it', () => {
    expect(fixture.cases.length).toBeGreaterThan(20)
    for (const c of fixture.cases) {
      expect([c.entry, petitionProblems(rules, c.entry as unknown as PetitionEntry, topics, c.day)]).toEqual([c.entry, c.problems])
    }
  })

  it('accepts what the server accepts', () => {
    expect(petitionProblems(rules, good, topics, day)).toEqual({})
    expect(() => checkPetition(rules, good, topics, day)).not.toThrow()
  })

  it('names each field the server would refuse, as the server words it', () => {
    const bad = { ...good, topic_id: 2, hamlet_id: 0, content: '  ngắn  ', anonymous: true, name: 'Nguyễn Văn Ba' }
    expect(petitionProblems(rules, bad, topics, day)).toEqual({
      topic_id: 'Lĩnh vực không tồn tại hoặc đã ngừng sử dụng.',
      hamlet_id: 'Không được để trống.',
      content: 'Nội dung từ 10 đến 4000 ký tự.',
      anonymous: 'Ý kiến ẩn danh không ghi họ tên, điện thoại hay địa chỉ người nêu.',
    })
    expect(petitionProblems(rules, { ...good, topic_id: null, content: 'x'.repeat(4001) }, topics, day)).toMatchObject({ topic_id: 'Không được để trống.', content: 'Nội dung từ 10 đến 4000 ký tự.' })
    expect(petitionProblems(rules, { ...good, kind: '' }, topics, day)).toEqual({ kind: 'Không được để trống.' })
    expect(() => checkPetition(rules, bad, topics, day)).toThrow(expect.objectContaining({ status: 422 }))
    lang.value = 'en'
    expect(petitionProblems(rules, bad, topics, day)).toMatchObject({ content: 'The content is 10 to 4000 characters.', hamlet_id: 'This field is required.' })
  })

  it('counts characters, not bytes: ten Vietnamese letters are enough', () => {
    expect(petitionProblems(rules, { ...good, content: 'Đường ngập' }, topics, day)).toEqual({})
  })

  it('asks a complaint or a denunciation from 1 July 2026 for the name and identification, as models/intake.go does', () => {
    expect(requiresID(rules, 'khieu_nai', '2026-07-01')).toBe(true)
    expect(requiresID(rules, 'to_cao', '2026-12-02')).toBe(true)
    expect(requiresID(rules, 'khieu_nai', '2026-06-30')).toBe(false)
    expect(requiresID(rules, 'kien_nghi', '2026-12-02')).toBe(false)
    const complaint = { ...good, kind: 'khieu_nai' }
    expect(petitionProblems(rules, complaint, topics, day)).toEqual({
      id_number: 'Từ ngày 01/07/2026, khiếu nại và tố cáo phải ghi họ tên và số định danh của người nêu.',
      name: 'Từ ngày 01/07/2026, khiếu nại và tố cáo phải ghi họ tên và số định danh của người nêu.',
    })
    // Paper minutes of a 2024 dialogue typed up today: the law did not ask for it then.
    expect(petitionProblems(rules, complaint, topics, '2024-05-10')).toEqual({})
  })

  it('leaves the judgement to the server when the device never got the rules', () => {
    expect(requiresID(null, 'khieu_nai', day)).toBe(false)
    expect(() => checkPetition(null, { ...good, content: '' }, topics, day)).not.toThrow()
  })
})
