// Offline work the server refuses after it syncs is corrected and resent, never lost: in a real
// Chromium against a real papi on a fresh demo database. Any console error fails the run.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { chromiumMissing, launchBrowser, pageApi, shot, signIn as signInAs, startServer, storyViewports as viewports } from './harness.mjs'

const skip = chromiumMissing()
if (skip) console.log(`# SKIP browser tests: ${skip}`)

const content = 'Đề nghị nạo vét kênh thủy lợi nội đồng ấp Tân Phong trước vụ Đông Xuân.'

for (const vp of viewports) {
  describe(`the outbox on a ${vp.name} (${vp.width}×${vp.height})`, { skip: skip || false }, () => {
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

    /** signIn signs a demo user in, in a fresh context, its console watched (harness.mjs). */
    const signIn = (username) => signInAs(browser, server, vp, username, { consoles })

    it('a petition queued offline, refused after sync, is corrected and resent from the queue', async () => {
      const sec = await signIn('secretary.tanthoi')
      const { page, context, watch } = sec
      const held = await pageApi(page, 'GET', '/dialogues?status=held&limit=1')
      const dialogue = held.body.items[0]
      assert.ok(dialogue, 'the demo has a held dialogue')
      await page.goto(`${server.url}/dialogues/${dialogue.id}/run`)
      const pf = page.locator('[data-petition-form]')
      await pf.waitFor()

      // Offline, the petition waits on the device under the topic "Thủy lợi".
      await context.setOffline(true)
      await pf.locator('#pf-topic').selectOption({ label: 'Thủy lợi' })
      await pf.getByLabel('Nội dung ý kiến').fill(content)
      await pf.getByLabel('Ẩn danh').check()
      await pf.locator('[data-record-petition]').click()
      await page.locator('[data-waiting]', { hasText: '1 mục chờ gửi' }).waitFor()

      // Meanwhile an admin retires that topic: the server will refuse the petition.
      const admin = await signIn('admin')
      const topics = await pageApi(admin.page, 'GET', '/topics?all=true')
      const tl = topics.body.items.find((x) => x.code === 'TL')
      assert.equal((await pageApi(admin.page, 'PATCH', `/topics/${tl.id}`, { active: false, version: tl.version })).status, 200)

      await watch.allow(/status of 422|Failed to load resource/, async () => {
        await context.setOffline(false)
        const refused = page.locator('[data-outbox] [data-outbox-item="rejected"]')
        await refused.waitFor()
        await refused.getByText('Thủy lợi').first().waitFor()
      })
      // A refused item is not counted as waiting, in the panel or the top bar, and is not lost.
      await page.locator('[data-waiting]').waitFor({ state: 'detached' })
      assert.match(await page.locator('[data-outbox] h3').innerText(), /^0 mục chờ gửi/)
      await shot(page, vp.name, 'outbox-refused')

      // Opened, corrected (another topic, the text kept), and resent.
      await page.locator('[data-outbox] [data-fix]').click()
      const fix = page.locator('[data-outbox-fix]')
      await fix.locator('#fix-topic-error').waitFor()
      assert.equal(await fix.getByLabel('Nội dung ý kiến').inputValue(), content)
      await shot(page, vp.name, 'outbox-fix')
      await fix.getByLabel('Lĩnh vực').selectOption({ label: 'Nông nghiệp, kinh tế' })
      await fix.locator('[data-resend]').click()
      await page.getByText('Đã gửi lại và được máy chủ ghi nhận.').waitFor()
      await page.locator('[data-outbox]').waitFor({ state: 'detached' })
      await page.locator('[data-raised]').getByText(content).waitFor()
      const logged = await pageApi(page, 'GET', `/petitions?dialogue_id=${dialogue.id}&q=${encodeURIComponent('nao vet kenh')}`)
      assert.equal(logged.body.items.length, 1, 'recorded once')
      assert.notEqual(logged.body.items[0].topic_id, tl.id)
      await admin.context.close()
      await context.close()
    })

    it('no page logged a console error', () => {
      assert.deepEqual(
        consoles.flatMap((c) => c.errors),
        [],
      )
    })
  })
}
