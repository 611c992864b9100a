// A secretary corrects a petition logged in the wrong hamlet, in a real Chromium against a real
// papi on a fresh demo database: the "Sửa thông tin" dialog, the history's before → after, a
// content corrected after the answer shown as such on the public page, and a closed petition
// that must be reopened first. Any console error fails the run.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { chromiumMissing, launchBrowser, pageApi, shot, signIn, startServer, viewports } from './harness.mjs'

const skip = chromiumMissing()
if (skip) console.log(`# SKIP browser tests: ${skip}`)

for (const vp of viewports) {
  describe(`corrections on a ${vp.name} (${vp.width}×${vp.height})`, { skip: skip || false }, () => {
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
    })

    const signInAs = (username) => signIn(browser, server, vp, username, { consoles })

    it('a petition logged in the wrong hamlet is corrected, and its history shows before → after', async () => {
      const sec = await signInAs('secretary.tanthoi')
      const { page } = sec
      const me = await pageApi(page, 'GET', '/auth/me')
      const units = (await pageApi(page, 'GET', '/units?limit=200')).body.items
      const commune = units.find((u) => u.level === 'commune' && me.body.unit_id === u.id) ?? units.find((u) => u.level === 'commune')
      const [wrong, right] = units.filter((u) => u.level === 'hamlet' && u.parent_id === commune.id && !u.valid_to)
      assert.ok(wrong && right, 'the demo commune has two hamlets')
      const created = await pageApi(page, 'POST', '/petitions', {
        commune_id: commune.id, hamlet_id: wrong.id, channel: 'phone', kind: 'phan_anh', topic_code: 'GT',
        content: 'Cống thoát nước trước chợ bị tắc, nước tràn ra đường khi mưa.', name: 'Võ Thị Mười',
      })
      assert.equal(created.status, 201)
      const p = created.body

      await page.goto(`${server.url}/petitions/${p.id}`)
      await page.locator('[data-correct]').click()
      const dialog = page.locator('[data-edit-form]')
      await dialog.locator('#co-hamlet').selectOption({ label: right.name })
      await dialog.getByLabel('Lý do sửa').fill('Thư ký chọn nhầm ấp khi nhận điện thoại.')
      await shot(page, vp.name, 'correct-dialog')
      await dialog.getByRole('button', { name: 'Lưu' }).click()
      await page.getByText('Đã sửa thông tin ý kiến.').first().waitFor()
      await page.locator('[data-timeline] [data-changes]').getByText(`Ấp: ${wrong.name} → ${right.name}`).waitFor()
      await page.getByText(`${commune.name} · ${right.name}`).waitFor()

      // Saving again with nothing changed is refused next to the form, and nothing is written.
      await page.locator('[data-correct]').click()
      await sec.watch.allow(/status of 422|Failed to load resource/, async () => {
        await dialog.getByRole('button', { name: 'Lưu' }).click()
        await dialog.getByText('Hãy nêu ít nhất một thông tin cần sửa.').waitFor()
      })
      await dialog.getByRole('button', { name: 'Quay lại' }).click()
      const events = (await pageApi(page, 'GET', `/petitions/${p.id}/events`)).body.items
      assert.equal(events.filter((e) => e.kind === 'corrected').length, 1)
      await shot(page, vp.name, 'correct-history')

      // After the chair's answer, a corrected content shows on the public page as corrected.
      const chair = await signInAs('chair.tanthoi')
      const cur = (await pageApi(chair.page, 'GET', `/petitions/${p.id}`)).body
      const answered = await pageApi(chair.page, 'POST', `/petitions/${p.id}/transitions`, { to: 'answered', version: cur.version, answer: 'Xã đã cho nạo vét cống.' })
      assert.equal(answered.status, 200)
      await page.reload()
      await page.locator('[data-correct]').click()
      await dialog.locator('[data-correct-public]').waitFor()
      await dialog.locator('#co-content').fill('Cống thoát nước trước chợ Tân Thới bị tắc, nước tràn ra đường khi mưa.')
      await dialog.getByRole('button', { name: 'Lưu' }).click()
      await page.getByText('Đã sửa thông tin ý kiến.').first().waitFor()
      const pub = await sec.context.newPage()
      await pub.goto(`${server.url}/public/p/${p.reference}`)
      await pub.locator('[data-corrected]').getByText(/^Đã chỉnh sửa ngày /).waitFor()
      assert.ok(!(await pub.content()).includes('Võ Thị Mười'), 'the public page names no petitioner')

      // Closed, the petition offers no correction until it is reopened.
      const now = (await pageApi(chair.page, 'GET', `/petitions/${p.id}`)).body
      assert.equal((await pageApi(chair.page, 'POST', `/petitions/${p.id}/transitions`, { to: 'closed', version: now.version, reason: 'explained' })).status, 200)
      await page.reload()
      await page.locator('[data-correct-closed]').waitFor()
      assert.equal(await page.locator('[data-correct]').count(), 0)
      await chair.context.close()
      await sec.context.close()
    })

    it('no page logged a console error', () => {
      assert.deepEqual(
        consoles.flatMap((c) => c.errors),
        [],
      )
    })
  })
}
