import { describe, expect, it } from 'vitest'
import { petitionProblems, checkPetition, requiresID, type PetitionEntry } from './petitionRules'
import type { Topic } from './types'

const topics = [
  { id: 1, code: 'GT', active: true },
  { id: 2, code: 'TL', active: false },
] as unknown as Topic[]
const day = '2026-12-02'
const good: PetitionEntry = { hamlet_id: 5, kind: 'kien_nghi', topic_id: 1, content: 'Đề nghị sửa đường liên ấp.', name: '', anonymous: false, onsite_answer: '' }

describe('petition rules on the device', () => {
  it('accepts what the server accepts', () => {
    expect(petitionProblems(good, topics, day)).toEqual({})
    expect(() => checkPetition(good, topics, day)).not.toThrow()
  })

  it('names each field the server would refuse, as the server words it', () => {
    const bad = { ...good, topic_id: 2, hamlet_id: 0, content: '  ngắn  ', anonymous: true, name: 'Nguyễn Văn Ba' }
    expect(petitionProblems(bad, topics, day)).toEqual({
      topic_id: 'Lĩnh vực không tồn tại hoặc đã ngừng sử dụng.',
      hamlet_id: 'Không được để trống.',
      content: 'Nội dung từ 10 đến 4000 ký tự.',
      anonymous: 'Ý kiến ẩn danh không ghi họ tên, điện thoại hay địa chỉ người nêu.',
    })
    expect(petitionProblems({ ...good, topic_id: null, content: 'x'.repeat(4001) }, topics, day)).toMatchObject({ topic_id: 'Không được để trống.', content: 'Nội dung từ 10 đến 4000 ký tự.' })
    expect(() => checkPetition(bad, topics, day)).toThrow(expect.objectContaining({ status: 422 }))
  })

  it('counts characters, not bytes: ten Vietnamese letters are enough', () => {
    expect(petitionProblems({ ...good, content: 'Đường ngập' }, topics, day)).toEqual({})
  })

  it('asks a complaint or a denunciation from 1 July 2026 for the name and identification, as models/intake.go does', () => {
    expect(requiresID('khieu_nai', '2026-07-01')).toBe(true)
    expect(requiresID('to_cao', '2026-12-02')).toBe(true)
    expect(requiresID('khieu_nai', '2026-06-30')).toBe(false)
    expect(requiresID('kien_nghi', '2026-12-02')).toBe(false)
    const complaint = { ...good, kind: 'khieu_nai' }
    expect(petitionProblems(complaint, topics, day)).toEqual({
      id_number: 'Từ ngày 01/07/2026, khiếu nại và tố cáo phải ghi họ tên và số định danh của người nêu.',
      name: 'Từ ngày 01/07/2026, khiếu nại và tố cáo phải ghi họ tên và số định danh của người nêu.',
    })
    // Paper minutes of a 2024 dialogue typed up today: the law did not ask for it then.
    expect(petitionProblems(complaint, topics, '2024-05-10')).toEqual({})
    expect(petitionProblems({ ...complaint, name: 'Lê Thị Hoa', id_number: ' 079 123 456 789 ' }, topics, day)).toEqual({})
    expect(petitionProblems({ ...complaint, name: 'Lê Thị Hoa', id_number: '12345' }, topics, day)).toEqual({
      id_number: 'Số định danh là 12 chữ số (căn cước), 9 chữ số (chứng minh nhân dân cũ) hoặc số hộ chiếu.',
    })
  })
})
