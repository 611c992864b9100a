// The commune desk in a real Chromium against a real papi on a fresh demo database: a walk-in
// complaint with the petitioner's identification and its printable receipt, a letter logged two
// days after it came, and the chair sending a denunciation's petitioner a message by hand. Any
// console error fails the run.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { chromiumMissing, launchBrowser, pageApi, shot, signIn, startServer, viewports, vnDay } from './harness.mjs'

const skip = chromiumMissing()
if (skip) console.log(`# SKIP browser tests: ${skip}`)

const idRequired = 'Từ ngày 01/07/2026, khiếu nại và tố cáo phải ghi họ tên và số định danh của người nêu.'

for (const vp of viewports) {
  describe(`the commune desk on a ${vp.name} (${vp.width}×${vp.height})`, { skip: skip || false }, () => {
    let server
    let browser
    const consoles = []

    before(async () => {
      server = await startServer()
      browser = await launchBrowser()
    })

    after(async () => {
      await browser?.close()
      await server?.stop()
      const errors = consoles.flatMap((c) => c.errors)
      assert.deepEqual(errors, [], 'console errors')
    })

    /** openIntake signs the secretary in and opens the Tiếp nhận ý kiến screen on a blank form. */
    async function openIntake() {
      const sec = await signIn(browser, server, vp, 'secretary.tanthoi', { consoles })
      await sec.page.goto(server.url + '/intake')
      const form = sec.page.locator('[data-intake-form]')
      await form.waitFor()
      await form.locator('#in-hamlet').selectOption({ index: 1 })
      return { ...sec, form }
    }

    it('a walk-in complaint needs the petitioner’s identification, and prints its receipt', async () => {
      const { context, page, watch, form } = await openIntake()
      await form.locator('#in-topic').selectOption({ label: 'Đất đai, quy hoạch' })
      await form.getByLabel('Khiếu nại').check()
      await form.getByLabel('Nội dung ý kiến').fill('Khiếu nại việc đo đạc sai ranh giới thửa đất số 125, tờ bản đồ số 7.')
      // Without name and identification the server names both fields, and records nothing.
      await watch.allow(/status of 422/, async () => {
        await form.locator('[data-intake-submit]').click()
        await form.locator('#in-id-error').getByText(idRequired).waitFor()
        await form.locator('#in-name-error').getByText(idRequired).waitFor()
      })
      await form.locator('#in-name').fill('Nguyễn Văn Khiếu')
      await form.locator('#in-id').fill('079 123 456 789')
      await form.locator('#in-phone').fill('0912 345 678')
      await form.locator('[data-intake-submit]').click()
      const done = page.locator('[data-intake-done]')
      await done.waitFor()
      const reference = (await done.locator('[data-intake-reference]').innerText()).trim()
      assert.match(reference, /\d/)
      await shot(page, vp.name, 'desk-complaint-recorded')

      // The receipt the resident takes home: reference, channel, kind, and the identification
      // number masked but for its last digits.
      const href = await done.locator('[data-receipt]').getAttribute('href')
      const receipt = await context.newPage()
      await receipt.goto(server.url + href)
      const text = await receipt.locator('body').innerText()
      for (const want of [reference, 'Tiếp công dân', 'Khiếu nại', 'Nguyễn Văn Khiếu', 'Số định danh: ********6789']) {
        assert.ok(text.includes(want), `receipt lacks ${want}:\n${text}`)
      }
      await shot(receipt, vp.name, 'desk-complaint-receipt')
      await context.close()
    })

    it('a letter that came two days ago is logged with that day, never a day in the future', async () => {
      const { context, page, watch, form } = await openIntake()
      await form.locator('#in-topic').selectOption({ label: 'Giao thông' })
      await form.getByLabel('Thư, đơn').check()
      await form.getByLabel('Nội dung ý kiến').fill('Đề nghị sửa cống thoát nước trên đường liên ấp trước mùa mưa.')
      await form.locator('#in-name').fill('Trần Thị Thư')
      await form.locator('#in-received').fill(vnDay(1))
      await watch.allow(/status of 422/, async () => {
        await form.locator('[data-intake-submit]').click()
        await form.locator('#in-received-error').getByText('không được ở tương lai').waitFor()
      })
      await form.locator('#in-received').fill(vnDay(-2))
      await form.locator('#in-doc-number').fill('125/UBND-TD')
      await form.locator('#in-doc-date').fill(vnDay(-3))
      await form.locator('[data-intake-submit]').click()
      const done = page.locator('[data-intake-done]')
      await done.waitFor()
      const id = (await done.locator('[data-open-petition]').getAttribute('href')).split('/').pop()
      const p = (await pageApi(page, 'GET', `/petitions/${id}`)).body
      const receivedDay = new Date(new Date(p.received_at).getTime() + 7 * 3600000).toISOString().slice(0, 10)
      assert.equal(receivedDay, vnDay(-2), `received ${p.received_at}`)
      assert.equal(p.channel, 'letter')
      assert.equal(p.incoming_number, '125/UBND-TD')
      assert.equal(p.incoming_date, vnDay(-3))
      await done.locator('[data-open-petition]').click()
      await page.locator('[data-reference]').getByText(p.reference).waitFor()
      await shot(page, vp.name, 'desk-letter-late')
      await context.close()
    })

    it('the chair sends a denunciation’s petitioner a message by hand, after a warning', async () => {
      const chair = await signIn(browser, server, vp, 'chair.tanthoi', { consoles })
      const { page } = chair
      const any = (await pageApi(page, 'GET', '/petitions?limit=1')).body.items[0]
      const made = await pageApi(page, 'POST', '/petitions', {
        commune_id: any.commune_id, hamlet_id: any.hamlet_id, channel: 'reception', kind: 'to_cao', topic_code: 'CB',
        content: 'Tố cáo cán bộ địa chính nhận tiền khi làm hồ sơ cấp giấy chứng nhận.',
        name: 'Lê Văn Tố', id_number: '079123456780', phone: '0912 000 111',
        consent: { agrees: true, channel: 'sms', contact: '' },
      })
      assert.equal(made.status, 201, JSON.stringify(made.body))
      const id = made.body.id

      // The secretary, who may not know who denounced, is not offered the button.
      const sec = await signIn(browser, server, vp, 'secretary.tanthoi', { consoles })
      await sec.page.goto(`${server.url}/petitions/${id}`)
      await sec.page.locator('[data-reference]').waitFor()
      assert.equal(await sec.page.locator('[data-tell-denouncer]').count(), 0)
      await sec.context.close()

      await page.goto(`${server.url}/petitions/${id}`)
      await page.locator('[data-tell-denouncer]').click()
      const consequence = page.locator('[data-consequence]')
      await consequence.getByText('đã tiếp nhận').waitFor()
      assert.ok((await consequence.innerText()).includes('84912000111'))
      await shot(page, vp.name, 'desk-denouncer-confirm')
      // Going back sends nothing; confirming puts the message in the outbox and the timeline.
      await page.locator('[data-confirm-back]').click()
      let events = (await pageApi(page, 'GET', `/petitions/${id}/events`)).body.items
      assert.ok(!events.some((e) => e.kind === 'notice_sent'))
      await page.locator('[data-tell-denouncer]').click()
      await page.locator('[data-confirm]').click()
      await page.getByText('Gửi thông báo cho người nêu ý kiến').first().waitFor()
      events = (await pageApi(page, 'GET', `/petitions/${id}/events`)).body.items
      assert.equal(events.filter((e) => e.kind === 'notice_sent').length, 1)
      await chair.context.close()
    })
  })
}
