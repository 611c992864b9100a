// axe-core on every signed-in screen and on the printable minutes, in a real Chromium against a
// real papi on a fresh demo database: no serious or critical violation anywhere. axe is injected
// into each page, so these contexts bypass the Content-Security-Policy (the server's pages keep it).
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { axeViolations, chromiumMissing, launchBrowser, shot, signIn as signInAs, startServer, viewports } from './harness.mjs'

const skip = chromiumMissing()
if (skip) console.log(`# SKIP browser tests: ${skip}`)

for (const vp of viewports) {
  describe(`accessibility on a ${vp.name} (${vp.width}×${vp.height})`, { skip: skip || false }, () => {
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

    /** signIn signs a demo user in, in a fresh context that lets axe in (harness.mjs). */
    const signIn = (username) => signInAs(browser, server, vp, username, { consoles, bypassCSP: true })

    /** check opens a screen, waits for what shows it has loaded, and runs axe on it. */
    async function check(page, path, ready, found) {
      await page.goto(server.url + path)
      await page.locator(ready).first().waitFor()
      // Let loading states settle: axe reads what the user would see.
      await page.waitForLoadState('networkidle')
      const v = await axeViolations(page)
      if (v.length) found.push(`${path}: ${v.join('; ')}`)
    }

    it('the chair’s and the secretary’s screens, and the printable minutes, have no serious violation', async () => {
      const found = []
      const { context, page } = await signIn('chair.tanthoi')
      const ids = await page.evaluate(async () => {
        const get = async (p) => (await (await fetch('/api/v1' + p)).json()).items
        const [held] = await get('/dialogues?status=held&limit=1')
        const [closed] = await get('/dialogues?status=closed&limit=1')
        const [petition] = await get('/petitions?limit=1')
        return { held: held.id, closed: closed.id, petition: petition.id }
      })
      await check(page, '/', '[data-home-counts]', found)
      await check(page, '/dialogues', '[data-dialogues]', found)
      await check(page, '/dialogues?view=calendar', '[data-calendar-grid]', found)
      await check(page, '/dialogues/new', '[data-dialogue-form]', found)
      await check(page, `/dialogues/${ids.held}`, '[data-dialogue-title]', found)
      await check(page, `/dialogues/${ids.held}/run`, '[data-attendance]', found)
      await check(page, '/petitions', '[data-petitions]', found)
      await check(page, `/petitions/${ids.petition}`, '[data-timeline]', found)
      await check(page, '/password', '#pw-current', found)
      // The printable minutes, a page of the server's own: held (a draft) and closed.
      for (const id of [ids.held, ids.closed]) await check(page, `/api/v1/dialogues/${id}/minutes`, 'h1, .title, body', found)
      await shot(page, vp.name, 'a11y-minutes')
      await context.close()
      assert.deepEqual(found, [])
    })

    it('the monitoring official’s dashboard and the admin screens have no serious violation', async () => {
      const found = []
      const district = await signIn('district')
      await check(district.page, '/dashboard', '[data-league]', found)
      await district.context.close()
      const admin = await signIn('admin')
      await check(admin.page, '/admin/units', '[data-units]', found)
      await check(admin.page, '/admin/topics', '[data-topics]', found)
      await check(admin.page, '/admin/users', '[data-users]', found)
      await check(admin.page, '/admin/reorganizations', '[data-acts]', found)
      await admin.context.close()
      const inspector = await signIn('inspector.tanthoi')
      await check(inspector.page, '/', '[data-home-counts]', found)
      await inspector.context.close()
      assert.deepEqual(found, [])
    })

    it('no page logged a console error', () => {
      assert.deepEqual(
        consoles.flatMap((c) => c.errors),
        [],
      )
    })
  })
}
