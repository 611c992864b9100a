import { describe, expect, it } from 'vitest'
import { setLang, t, tCode } from './i18n'
import { vi } from './messages'
import en from './messages.en'

describe('i18n', () => {
  it('speaks Vietnamese by default and English on request', async () => {
    expect(t('login.submit')).toBe('Đăng nhập')
    await setLang('en')
    expect(t('login.submit')).toBe('Sign in')
    setLang('vi')
  })

  it('fills placeholders', () => {
    expect(t('offline.waiting', { n: 3 })).toBe('3 mục chờ gửi')
  })

  it('writes numbers in placeholders the way each language does, years ungrouped', async () => {
    expect(t('attendance.total', { n: 1409 })).toContain('1.409')
    expect(t('dialogues.monthTitle', { month: '04', year: 2026 })).toBe('Tháng 04/2026')
    await setLang('en')
    expect(t('attendance.total', { n: 1409 })).toContain('1,409')
    setLang('vi')
  })

  it('translates API codes and falls back to the code', () => {
    expect(tCode('role', 'commune_chair')).toBe('Chủ tịch UBND xã')
    expect(tCode('role', 'astronaut')).toBe('astronaut')
  })

  it('has an English text for every Vietnamese one, and no empty text', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort())
    for (const d of [vi, en]) for (const v of Object.values(d)) expect(v.trim()).not.toBe('')
  })
})
