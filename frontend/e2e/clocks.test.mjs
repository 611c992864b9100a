// The law's clocks in a real Chromium against a real papi on a fresh demo database: an admin
// keeps the deadline rules, the chair publishes a dialogue's notice and its results, residents
// read them on the public board, and a petition shows the rule and legal basis of its due date.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { chromiumMissing, launchBrowser, shot, signIn, startServer, viewports, watchConsole } from './harness.mjs'

const skip = chromiumMissing()
if (skip) console.log(`# SKIP browser tests: ${skip}`)

for (const vp of viewports) {
  describe(`the law's clocks on a ${vp.name} (${vp.width}×${vp.height})`, { skip: skip || false }, () => {
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
      const errors = consoles.flatMap((w) => w.errors)
      assert.deepEqual(errors, [], 'console errors')
    })

    async function context() {
      const ctx = await browser.newContext({
        viewport: { width: vp.width, height: vp.height },
        hasTouch: vp.hasTouch,
        locale: 'vi-VN',
        timezoneId: 'Asia/Ho_Chi_Minh',
        serviceWorkers: 'block',
      })
      const page = await ctx.newPage()
      page.setDefaultTimeout(10000)
      return { ctx, page }
    }

    /** session signs one person in, in a fresh browser context (harness signIn). */
    async function session(username) {
      const { context: ctx, page, watch } = await signIn(browser, server, vp, username, { consoles, path: '/', timeout: 10000 })
      return { ctx, page, watch }
    }

    /** api reads the signed-in API from the page, as the app does. */
    function api(page, path) {
      return page.evaluate(async (p) => (await fetch(p, { headers: { Accept: 'application/json' } })).json(), path)
    }

    async function openMenu(page) {
      const toggle = page.locator('.menu-toggle')
      if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
    }

    it('an admin edits a deadline rule: a bad number is refused next to its field, the edit kept in the history', async () => {
      const { ctx, page, watch } = await session('admin')
      await openMenu(page)
      await page.getByRole('navigation').getByRole('link', { name: 'Thời hạn theo luật', exact: true }).click()
      const row = page.locator('[data-rule="dialogue_results"]')
      await row.locator('[data-rule-basis]').getByText('Luật Tổ chức chính quyền địa phương 2025, Điều 43').waitFor()
      assert.match(await row.locator('[data-rule-days]').innerText(), /10 ngày/)
      await page.locator('[data-rule="complaint_resolve"] [data-rule-basis]').getByText('Luật Khiếu nại 2011').waitFor()
      await page.locator('[data-edit-rule="dialogue_results"]').click()
      const dialog = page.getByRole('dialog')
      await dialog.locator('#rule-days').fill('0')
      await watch.allow(/status of 422/, async () => {
        await dialog.getByRole('button', { name: 'Lưu' }).click()
        await dialog.getByText('Số ngày từ 1 đến 365.').waitFor()
      })
      await dialog.locator('#rule-days').fill('12')
      await dialog.locator('#rule-note').fill('Thử sửa thời hạn')
      await dialog.getByRole('button', { name: 'Lưu' }).click()
      await row.locator('[data-rule-days]').getByText('12 ngày').waitFor()
      await page.locator('[data-edit-rule="dialogue_results"]').click()
      await page.locator('[data-rule-history]').getByText('days: 10 → 12').waitFor()
      await shot(page, vp.name, 'clocks-01-rules')
      await page.getByRole('dialog').getByRole('button', { name: 'Quay lại' }).click()
      await ctx.close()
    })

    it('the chair publishes a notice and a dialogue\'s results; residents read them on the public board', async () => {
      const { ctx, page } = await session('chair.tanthoi')
      const dialogues = (await api(page, '/api/v1/dialogues?limit=200')).items
      const planned = dialogues.find((d) => d.title === 'Đối thoại về chuyển đổi cây trồng ấp Tân Hòa')
      const held = dialogues.find((d) => d.title === 'Đối thoại về an ninh trật tự ấp Tân Thạnh')
      assert.ok(planned && held, 'demo dialogues')

      await page.goto(`${server.url}/dialogues/${planned.id}`)
      await page.locator('[data-notice]').getByText('chưa công khai').waitFor()
      await page.locator('[data-publish-notice]').click()
      await page.locator('[data-confirm]').click()
      await page.locator('[data-notice]').getByText(/đã công khai/).waitFor()
      assert.equal(await page.locator('[data-publish-notice]').count(), 0)

      await page.goto(`${server.url}/dialogues/${held.id}`)
      await page.locator('[data-results]').waitFor()
      await page.locator('[data-publish-results]').click()
      await page.locator('#results-summary').fill('Đã trả lời tại chỗ các ý kiến về an ninh trật tự; giao công an xã tuần tra đêm.')
      await page.getByRole('dialog').getByRole('button', { name: 'Công khai kết quả' }).click()
      await page.locator('[data-results-summary]').getByText('giao công an xã tuần tra đêm').waitFor()
      await shot(page, vp.name, 'clocks-02-dialogue')
      await ctx.close()

      const resident = await context()
      consoles.push(watchConsole(resident.page, `${vp.name}/resident`))
      await resident.page.goto(server.url + '/public')
      await resident.page.locator('[data-commune-search]').fill('tan thoi')
      await resident.page.locator('[data-communes]').getByText('Tân Thới', { exact: false }).first().click()
      const board = resident.page.locator('[data-public-dialogues]')
      await board.locator(`[data-public-dialogue="${planned.id}"]`).getByText('Đối thoại về chuyển đổi cây trồng ấp Tân Hòa').waitFor()
      await board.locator(`[data-public-dialogue="${held.id}"] [data-public-results]`).getByText('giao công an xã tuần tra đêm').waitFor()
      await shot(resident.page, vp.name, 'clocks-03-public')
      await resident.ctx.close()
    })

    it('a petition shows the rule and legal basis of its due date', async () => {
      const { ctx, page } = await session('chair.tanthoi')
      const items = (await api(page, '/api/v1/petitions?limit=200')).items
      const p = items.find((x) => x.due_rule_text && x.due_rule !== 'legacy') ?? items.find((x) => x.due_rule_text)
      assert.ok(p, 'a petition with a due rule')
      await page.goto(`${server.url}/petitions/${p.id}`)
      await page.locator('[data-due-rule]').getByText(p.due_rule_text).waitFor()
      await ctx.close()
    })
  })
}
