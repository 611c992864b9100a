import { describe, expect, it } from 'vitest'
import { petitionProblems, checkPetition, type PetitionEntry } from './petitionRules'
import type { Topic } from './types'

const topics = [
  { id: 1, code: 'GT', active: true },
  { id: 2, code: 'TL', active: false },
] as unknown as Topic[]
const good: PetitionEntry = { hamlet_id: 5, kind: 'kien_nghi', topic_id: 1, content: 'Đề nghị sửa đường liên ấp.', name: '', anonymous: false, onsite_answer: '' }

describe('petition rules on the device', () => {
  it('accepts what the server accepts', () => {
    expect(petitionProblems(good, topics)).toEqual({})
    expect(() => checkPetition(good, topics)).not.toThrow()
  })

  it('names each field the server would refuse, as the server words it', () => {
    const bad = { ...good, topic_id: 2, hamlet_id: 0, content: '  ngắn  ', anonymous: true, name: 'Nguyễn Văn Ba' }
    expect(petitionProblems(bad, topics)).toEqual({
      topic_id: 'Lĩnh vực không tồn tại hoặc đã ngừng sử dụng.',
      hamlet_id: 'Không được để trống.',
      content: 'Nội dung từ 10 đến 4000 ký tự.',
      anonymous: 'Ý kiến ẩn danh không ghi họ tên, điện thoại hay địa chỉ người nêu.',
    })
    expect(petitionProblems({ ...good, topic_id: null, content: 'x'.repeat(4001) }, topics)).toMatchObject({ topic_id: 'Không được để trống.', content: 'Nội dung từ 10 đến 4000 ký tự.' })
    expect(() => checkPetition(bad, topics)).toThrow(expect.objectContaining({ status: 422 }))
  })

  it('counts characters, not bytes: ten Vietnamese letters are enough', () => {
    expect(petitionProblems({ ...good, content: 'Đường ngập' }, topics)).toEqual({})
  })
})
