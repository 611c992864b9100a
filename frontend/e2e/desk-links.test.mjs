// One matter raised in three hamlets and answered once, a past dialogue typed up from its paper
// minutes, and the land officer's own list: in a real Chromium against a real papi on a fresh
// demo database. Any console error fails the run.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { chromiumMissing, launchBrowser, pageApi, shot, signIn, startServer, viewports, vnDay } from './harness.mjs'

const skip = chromiumMissing()
if (skip) console.log(`# SKIP browser tests: ${skip}`)

/** dmy writes a yyyy-mm-dd as users type it: dd/mm/yyyy. */
const dmy = (day) => day.split('-').reverse().join('/')
/** vnDayOf is the Vietnam calendar day of a timestamp. */
const vnDayOf = (at) => new Date(new Date(at).getTime() + 7 * 3600000).toISOString().slice(0, 10)

for (const vp of viewports) {
  describe(`links, paper records and assignees on a ${vp.name} (${vp.width}×${vp.height})`, { skip: skip || false }, () => {
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

    it('three petitions of one road from three hamlets are linked to one and answered once', async () => {
      const sec = await signIn(browser, server, vp, 'secretary.tanthoi', { consoles })
      const me = (await pageApi(sec.page, 'GET', '/auth/me')).body
      await sec.page.goto(server.url + '/intake')
      // The hamlets arrive with the screen's lookups: wait for a blank choice and three hamlets.
      await sec.page.locator('#in-hamlet option').nth(3).waitFor({ state: 'attached' })
      const options = await sec.page.locator('#in-hamlet option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean))
      assert.ok(options.length >= 3, `the demo commune has ${options.length} hamlets`)
      const raised = []
      for (const hamlet of options.slice(0, 3)) {
        const r = await pageApi(sec.page, 'POST', '/petitions', {
          commune_id: me.unit_id, hamlet_id: Number(hamlet), channel: 'phone', kind: 'phan_anh', topic_code: 'GT',
          content: 'Đường liên ấp Tân Hòa – Tân Phong sụt lún, xe máy không qua được khi trời mưa.',
        })
        assert.equal(r.status, 201, JSON.stringify(r.body))
        raised.push(r.body)
      }
      const [main, ...others] = raised
      for (const p of others) {
        await sec.page.goto(`${server.url}/petitions/${p.id}`)
        const links = sec.page.locator('[data-links]')
        await links.getByLabel('Mã ý kiến chính').fill(main.reference)
        await links.getByRole('button', { name: 'Gắn vào ý kiến chính' }).click()
        await links.locator('[data-main]').getByText(main.reference).waitFor()
      }
      await sec.page.goto(`${server.url}/petitions/${main.id}`)
      await sec.page.locator('[data-links]').getByText('Được nêu 3 lần').waitFor()
      assert.equal(await sec.page.locator('[data-linked] li').count(), 2)
      await sec.context.close()

      // The chair answers the main petition once; every linked one shows the answer.
      const chair = await signIn(browser, server, vp, 'chair.tanthoi', { consoles })
      const answer = 'Xã đã đưa tuyến đường vào kế hoạch sửa chữa quý I năm 2027; trong lúc chờ sẽ san lấp ổ gà.'
      await chair.page.goto(`${server.url}/petitions/${main.id}`)
      await chair.page.locator('[data-transition="answered"]').click()
      const dialog = chair.page.locator('[data-edit-form]')
      await dialog.locator('#tr-answer').fill(answer)
      await dialog.locator('button[type=submit]').click()
      await chair.page.locator('[data-answer]').getByText(answer).waitFor()
      for (const p of others) {
        await chair.page.goto(`${server.url}/petitions/${p.id}`)
        await chair.page.locator('[data-answer]').getByText(answer).waitFor()
        await chair.page.locator('[data-state]').getByText('Đã trả lời').waitFor()
      }
      await shot(chair.page, vp.name, 'desk-linked-answered')

      // The public board and Open311 list the matter once, raised three times.
      const board = await chair.page.evaluate(async (c) => (await fetch(`/api/v1/public/communes/${c}/petitions?limit=200`)).json(), me.unit_id)
      const shown = board.items.filter((x) => raised.some((p) => p.reference === x.reference))
      assert.deepEqual(shown.map((x) => [x.reference, x.times_raised]), [[main.reference, 3]])
      const open311 = await chair.page.evaluate(async () => (await fetch('/open311/v2/requests.json?page_size=200&extensions=true')).json())
      const listed = open311.filter((x) => raised.some((p) => p.reference === x.service_request_id))
      assert.deepEqual(listed.map((x) => [x.service_request_id, x.extended_attributes?.times_raised]), [[main.reference, 3]])
      await chair.context.close()
    })

    it('a dialogue of last week is typed up from its paper minutes: held, a complaint answered on the spot, closed', async () => {
      const sec = await signIn(browser, server, vp, 'secretary.tanthoi', { consoles })
      const me = (await pageApi(sec.page, 'GET', '/auth/me')).body
      await sec.page.goto(server.url + '/intake')
      const hamlet = Number(await sec.page.locator('#in-hamlet option').nth(1).getAttribute('value'))
      const day = vnDay(-7)
      const made = await pageApi(sec.page, 'POST', '/dialogues', {
        commune_id: me.unit_id, hamlet_ids: [hamlet], title: 'Đối thoại về đất đai (biên bản giấy)', venue: 'Nhà văn hóa ấp',
        starts_at: `${day}T08:00:00+07:00`, ends_at: `${day}T10:00:00+07:00`, allow_overlap: true,
      })
      assert.equal(made.status, 201, JSON.stringify(made.body))
      const d = made.body
      await sec.context.close()

      const chair = await signIn(browser, server, vp, 'chair.tanthoi', { consoles })
      const { page } = chair
      await page.goto(`${server.url}/dialogues/${d.id}`)
      await page.locator('[data-transition="held"]').click()
      const heldForm = page.locator('[data-edit-form]')
      await heldForm.locator('#held-when').fill(dmy(day))
      await heldForm.locator('#held-when-time').fill('08:05')
      await heldForm.locator('button[type=submit]').click()
      const pf = page.locator('[data-petition-form]')
      await pf.waitFor()

      // A complaint raised there after 1 July 2026 asks for the petitioner's identification,
      // on the device first.
      await pf.locator('#pf-topic').selectOption({ label: 'Đất đai, quy hoạch' })
      assert.equal(await pf.locator('#pf-id').count(), 0)
      await pf.getByLabel('Khiếu nại').check()
      await pf.locator('#pf-id').waitFor()
      await pf.getByLabel('Nội dung ý kiến').fill('Khiếu nại việc chậm cấp giấy chứng nhận quyền sử dụng đất cho 5 hộ.')
      await pf.locator('#pf-onsite').fill('Xã sẽ cấp giấy cho 5 hộ trong tháng 12.')
      await pf.locator('[data-record-petition]').click()
      await pf.locator('#pf-id-error').getByText('số định danh').waitFor()
      await pf.locator('#pf-name').fill('Huỳnh Văn Đất')
      await pf.locator('#pf-id').fill('079 123 456 781')
      await pf.locator('[data-record-petition]').click()
      const item = page.locator('[data-raised] li[data-petition]')
      await item.waitFor()
      const reference = await item.getAttribute('data-petition')
      // The chair publishes the on-site answer: its time is the dialogue's, not today's.
      await item.locator('[data-answer-onsite]').click()
      await item.getByRole('button', { name: 'Công bố câu trả lời' }).click()
      await page.locator('[data-confirm]').click()
      await item.getByText('Đã trả lời').waitFor()
      const p = (await pageApi(page, 'GET', `/petitions?dialogue_id=${d.id}&limit=10`)).body.items[0]
      assert.equal(p.reference, reference)
      assert.equal(vnDayOf(p.answered_at), day, `answered at ${p.answered_at}`)

      // The attendance of the register, then closing with the minutes signed that morning.
      await page.locator('[data-count="residents"]').fill('42')
      await page.locator('[data-count="women"]').fill('19')
      await page.locator('[data-save-attendance]').click()
      await page.locator('[data-total]').getByText('42').waitFor()
      await page.getByText('Đã lưu').first().waitFor()
      const close = page.locator('[data-close]')
      await close.getByLabel('Biên bản').fill('Biên bản buổi đối thoại, nhập lại từ bản giấy đã ký.')
      await close.locator('#close-when').fill(dmy(day))
      await close.locator('#close-when-time').fill('11:00')
      await close.locator('[data-close-dialogue]').click()
      await page.locator('[data-confirm]').click()
      await page.getByText('Đã kết thúc').first().waitFor()
      const closed = (await pageApi(page, 'GET', `/dialogues/${d.id}`)).body
      assert.equal(closed.status, 'closed')
      assert.equal(closed.from_paper?.by?.username, 'secretary.tanthoi')
      await page.goto(`${server.url}/dialogues/${d.id}`)
      await page.locator('[data-from-paper]').getByText('Lê Thị Hoa').waitFor()
      await shot(page, vp.name, 'desk-paper-dialogue')
      await chair.context.close()
    })

    it('the chair assigns a petition to the land officer, who finds it in “my petitions”', async () => {
      const chair = await signIn(browser, server, vp, 'chair.tanthoi', { consoles })
      const received = (await pageApi(chair.page, 'GET', '/petitions?status=received&limit=1')).body.items[0]
      assert.ok(received, 'the demo has a received petition')
      await chair.page.goto(`${server.url}/petitions/${received.id}`)
      await chair.page.locator('[data-transition="assigned"]').click()
      const dialog = chair.page.locator('[data-edit-form]')
      await dialog.locator('#tr-assignee option', { hasText: 'Địa chính' }).first().waitFor({ state: 'attached' })
      const officer = await dialog.locator('#tr-assignee option', { hasText: 'Địa chính' }).first().getAttribute('value')
      await dialog.locator('#tr-assignee').selectOption(officer)
      await dialog.locator('button[type=submit]').click()
      await chair.page.locator('[data-state]').getByText('Đã giao xử lý').waitFor()
      await chair.context.close()

      const land = await signIn(browser, server, vp, 'land.tanthoi', { consoles })
      await land.page.goto(`${server.url}/petitions?assignee=me`)
      await land.page.getByRole('link', { name: received.reference }).first().waitFor()
      const mine = (await pageApi(land.page, 'GET', '/petitions?assignee=me&limit=200')).body.items
      assert.ok(mine.some((x) => x.id === received.id), 'the petition is in the land officer’s list')
      await shot(land.page, vp.name, 'desk-my-petitions')
      await land.context.close()
    })
  })
}
