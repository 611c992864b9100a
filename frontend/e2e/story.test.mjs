// The story of issue 6, in a real Chromium against a real papi on a fresh database, once on a
// tablet-sized and once on a desktop-sized window. Any console error fails the run.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { chromiumMissing, launchBrowser, shot, startServer, viewports, watchConsole } from './harness.mjs'

const skip = chromiumMissing()
if (skip) console.log(`# SKIP browser tests: ${skip}`)

const password = 'demo-password'

for (const vp of viewports) {
  describe(`story on a ${vp.name} (${vp.width}×${vp.height})`, { skip: skip || false }, () => {
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

    /** session opens a fresh browser context (its own cookies and storage) as one person. */
    async function session(username) {
      const context = await browser.newContext({
        viewport: { width: vp.width, height: vp.height },
        hasTouch: vp.hasTouch,
        locale: 'vi-VN',
        timezoneId: 'Asia/Ho_Chi_Minh',
        acceptDownloads: true,
        serviceWorkers: 'block',
      })
      const page = await context.newPage()
      page.setDefaultTimeout(10000)
      const watch = watchConsole(page, `${vp.name}/${username}`)
      consoles.push(watch)
      await page.goto(server.url + '/')
      await page.getByLabel('Tên đăng nhập').fill(username)
      await page.getByLabel('Mật khẩu').fill(password)
      await page.getByRole('button', { name: 'Đăng nhập' }).click()
      await page.getByRole('heading', { name: /Xin chào/ }).waitFor()
      return { context, page, watch }
    }

    function menuLink(page, name) {
      return page.getByRole('navigation').getByRole('link', { name })
    }

    async function openMenu(page) {
      const toggle = page.locator('.menu-toggle')
      if (await toggle.isVisible()) await toggle.click()
    }

    it('a wrong password is refused in Vietnamese, next to the form', async () => {
      const context = await browser.newContext({ viewport: { width: vp.width, height: vp.height } })
      const page = await context.newPage()
      page.setDefaultTimeout(10000)
      const watch = watchConsole(page, `${vp.name}/login`)
      consoles.push(watch)
      // A screen that needs a sign-in sends to the login form and back after it.
      await page.goto(server.url + '/admin/users')
      await page.getByLabel('Tên đăng nhập').fill('admin')
      await page.getByLabel('Mật khẩu').fill('wrong-password')
      await watch.allow(/status of 401/, async () => {
        await page.getByRole('button', { name: 'Đăng nhập' }).click()
        await page.locator('[data-form-error]').getByText('Tên đăng nhập hoặc mật khẩu không đúng.').waitFor()
      })
      await shot(page, vp.name, '01-login-refused')
      await page.getByLabel('Mật khẩu').fill(password)
      await page.getByRole('button', { name: 'Đăng nhập' }).click()
      await page.locator('[data-users]').getByText('chair.tanthoi').waitFor()
      assert.match(page.url(), /\/admin\/users$/)
      await context.close()
    })

    it('an admin manages the units tree, topics and users', async () => {
      const { context, page } = await session('admin')
      await openMenu(page)
      await menuLink(page, 'Đơn vị hành chính').click()
      const tree = page.locator('[data-units]')
      await tree.getByText('Tân Thới', { exact: true }).waitFor()
      await tree.getByText('Ấp Tân Hòa').waitFor()
      await shot(page, vp.name, '02-units')

      // Add a hamlet under Phú Thạnh.
      const row = tree.locator('li', { hasText: 'Phú Thạnh' }).filter({ has: page.getByText('Xã', { exact: true }) })
      await row.getByRole('button', { name: /Thêm đơn vị trực thuộc/ }).click()
      await page.getByLabel('Tên', { exact: true }).fill('Ấp Phú Mới')
      await page.getByRole('dialog').getByRole('button', { name: 'Lưu' }).click()
      await tree.getByText('Ấp Phú Mới').waitFor()

      await openMenu(page)
      await menuLink(page, 'Lĩnh vực').click()
      await page.locator('[data-topics]').getByText('Giao thông').waitFor()
      await page.locator('[data-new-topic]').click()
      await page.getByLabel('Mã', { exact: true }).fill('CNTT')
      await page.getByLabel('Tên tiếng Việt').fill('Chuyển đổi số')
      await page.getByLabel('Tên tiếng Anh').fill('Digital transformation')
      await page.getByRole('dialog').getByRole('button', { name: 'Lưu' }).click()
      await page.locator('[data-topics]').getByText('Chuyển đổi số').waitFor()
      await shot(page, vp.name, '03-topics')

      await openMenu(page)
      await menuLink(page, 'Người dùng').click()
      await page.locator('[data-users]').getByText('chair.tanthoi').waitFor()
      // A too-short password is refused by the server and shown next to the password field.
      await page.locator('[data-new-user]').click()
      const dialog = page.getByRole('dialog')
      await dialog.getByLabel('Tên đăng nhập').fill('secretary.phuthanh')
      await dialog.getByLabel('Họ và tên').fill('Đặng Thị Thu')
      await dialog.getByLabel('Vai trò').selectOption({ label: 'Văn phòng xã' })
      await dialog.getByLabel('Đơn vị').selectOption({ label: '— — Phú Thạnh' })
      await dialog.getByLabel('Mật khẩu').fill('short')
      const watch = consoles[consoles.length - 1]
      await watch.allow(/status of 422/, async () => {
        await dialog.getByRole('button', { name: 'Lưu' }).click()
        await dialog.locator('#user-password-error').getByText('Mật khẩu phải có ít nhất 8 ký tự.').waitFor()
      })
      await shot(page, vp.name, '04-user-field-error')
      await dialog.getByLabel('Mật khẩu').fill('a-good-password')
      await dialog.getByRole('button', { name: 'Lưu' }).click()
      await page.locator('[data-users]').getByText('secretary.phuthanh').waitFor()
      await context.close()
    })

    it('a secretary sees a menu without administration, switches language, changes password', async () => {
      const { context, page } = await session('secretary.tanthoi')
      await openMenu(page)
      const nav = page.getByRole('navigation')
      assert.equal(await nav.getByRole('link', { name: 'Người dùng' }).count(), 0)
      assert.equal(await nav.getByRole('link', { name: 'Lĩnh vực' }).count(), 0)
      await page.locator('[data-lang]').click()
      await page.getByRole('heading', { name: /Hello/ }).waitFor()
      await page.locator('[data-lang]').click()
      await page.getByRole('heading', { name: /Xin chào/ }).waitFor()

      await menuLink(page, 'Đổi mật khẩu').click()
      await page.getByLabel('Mật khẩu hiện tại').fill('not-my-password')
      await page.getByLabel('Mật khẩu mới', { exact: true }).fill('another-password')
      await page.getByLabel('Nhập lại mật khẩu mới').fill('another-password')
      const watch = consoles[consoles.length - 1]
      await watch.allow(/status of 422/, async () => {
        await page.getByRole('button', { name: 'Lưu' }).click()
        await page.locator('#pw-current-error').getByText('Mật khẩu hiện tại không đúng.').waitFor()
      })
      await openMenu(page)
      await page.locator('[data-logout]').click()
      await page.getByRole('heading', { name: 'Đăng nhập' }).waitFor()
      await context.close()
    })

    it('no page logged a console error', () => {
      const all = consoles.flatMap((c) => c.errors)
      assert.deepEqual(all, [])
    })
  })
}
