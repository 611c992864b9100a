// Notifications in the web app, in a real Chromium against a real papi whose e-mail goes to a
// small SMTP server this test runs: an official's own e-mail address on the account page, the
// resident's consent on the petition page, the bell, and the messages that really arrive, with
// every link they carry opened in the browser.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { chromiumMissing, launchBrowser, shot, signIn, startServer, viewports, watchConsole } from './harness.mjs'

const skip = chromiumMissing()
if (skip) console.log(`# SKIP browser tests: ${skip}`)

const password = 'demo-password'

/** startMailServer is a plain SMTP receiver on loopback (as a relay on the same host: no TLS),
 * keeping every message it accepts. */
function startMailServer() {
  const messages = []
  const server = createServer((sock) => {
    sock.setEncoding('latin1')
    let buf = ''
    let inData = false
    let to = []
    sock.write('220 localhost ESMTP test\r\n')
    sock.on('error', () => {})
    sock.on('data', (chunk) => {
      buf += chunk
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n')
          if (end < 0) return
          messages.push(parseMail(to, buf.slice(0, end).replace(/^\.\./gm, '.')))
          buf = buf.slice(end + 5)
          inData = false
          to = []
          sock.write('250 OK queued\r\n')
          continue
        }
        const nl = buf.indexOf('\r\n')
        if (nl < 0) return
        const line = buf.slice(0, nl)
        buf = buf.slice(nl + 2)
        const verb = line.slice(0, 4).toUpperCase()
        if (verb === 'EHLO' || verb === 'HELO') sock.write('250-localhost\r\n250 8BITMIME\r\n')
        else if (verb === 'MAIL' || verb === 'RSET' || verb === 'NOOP') sock.write('250 OK\r\n')
        else if (verb === 'RCPT') {
          to.push(/<([^>]*)>/.exec(line)?.[1] ?? '')
          sock.write('250 OK\r\n')
        } else if (verb === 'DATA') {
          inData = true
          sock.write('354 end with <CRLF>.<CRLF>\r\n')
        } else if (verb === 'QUIT') {
          sock.end('221 bye\r\n')
          return
        } else sock.write('502 not implemented\r\n')
      }
    })
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ port: server.address().port, messages, close: () => server.close() }))
  })
}

/** parseMail decodes what papi sends: headers, a Q-encoded subject and a quoted-printable UTF-8 body. */
function parseMail(to, raw) {
  const split = raw.indexOf('\r\n\r\n')
  const headers = {}
  for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':')
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim()
  }
  const bytes = (s) => Buffer.from(s, 'latin1')
  const qp = raw
    .slice(split + 4)
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)))
  // Adjacent encoded words join without the space between them (RFC 2047).
  const subject = headers.subject.replace(/\?=\s+=\?utf-8\?q\?/gi, '').replace(/=\?utf-8\?q\?(.*?)\?=/gi, (_, w) =>
    bytes(w.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/g, (__, h) => String.fromCharCode(parseInt(h, 16)))).toString('utf8'),
  )
  return { to, headers, subject, body: bytes(qp).toString('utf8').replace(/\r\n/g, '\n') }
}

/** waitForMail waits for a message matching pred. */
async function waitForMail(mail, pred, what) {
  const deadline = Date.now() + 30000
  for (;;) {
    const m = mail.messages.find(pred)
    if (m) return m
    if (Date.now() > deadline) throw new Error(`no e-mail ${what}; got ${JSON.stringify(mail.messages.map((x) => [x.to, x.subject]))}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** linkAfter returns the first URL in text after a label. */
function linkAfter(text, label) {
  const i = text.indexOf(label)
  assert.ok(i >= 0, `"${label}" not in ${text}`)
  return /https?:\/\/\S+/.exec(text.slice(i))[0]
}

/** api signs in over HTTP as username and returns a caller sending the session and CSRF token. */
async function api(base, username) {
  const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  assert.equal(r.status, 200)
  const me = await r.json()
  const cookie = r.headers.get('set-cookie').split(';')[0]
  const call = async (method, path, body) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': me.csrf_token, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await res.text()
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`)
    return text ? JSON.parse(text) : null
  }
  return { me, call }
}

for (const vp of viewports) {
  describe(`notifications on a ${vp.name} (${vp.width}×${vp.height})`, { skip: skip || false }, () => {
    let server
    let browser
    let mail
    const consoles = []
    const story = {}

    before(async () => {
      mail = await startMailServer()
      server = await startServer({
        PAPI_SMTP_HOST: '127.0.0.1',
        PAPI_SMTP_PORT: String(mail.port),
        PAPI_SMTP_TLS: 'none',
        PAPI_SMTP_FROM: 'UBND xã Tân Thới <noreply@tanthoi.gov.vn>',
      })
      browser = await launchBrowser()
    })

    after(async () => {
      await browser?.close()
      await server?.stop()
      mail?.close()
    })

    async function context() {
      const ctx = await browser.newContext({ viewport: { width: vp.width, height: vp.height }, hasTouch: vp.hasTouch, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', serviceWorkers: 'block' })
      const page = await ctx.newPage()
      page.setDefaultTimeout(15000)
      const watch = watchConsole(page, `${vp.name}/${consoles.length}`)
      consoles.push(watch)
      return { ctx, page, watch }
    }

    function session(username) {
      return signIn(browser, server, vp, username, { consoles, path: '/' })
    }

    async function openMenu(page) {
      const toggle = page.locator('.menu-toggle')
      if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
    }

    it('a secretary sets the e-mail address her assignments go to, refused first when it is not one', async () => {
      const s = await session('secretary.tanthoi')
      story.sec = s
      await openMenu(s.page)
      await s.page.getByRole('navigation').getByRole('link', { name: 'Tài khoản', exact: true }).click()
      const email = s.page.getByLabel('Địa chỉ email')
      await email.fill('thu.ky@tanthoi')
      await s.watch.allow(/status of 422/, async () => {
        await s.page.getByRole('button', { name: 'Cập nhật email' }).click()
        await s.page.locator('#contact-email-error').getByText('Địa chỉ email không hợp lệ').waitFor()
      })
      await email.fill('thu.ky@tanthoi.gov.vn')
      await s.page.getByRole('button', { name: 'Cập nhật email' }).click()
      await s.page.getByText('Đã lưu địa chỉ email.').waitFor()
      await s.page.reload()
      assert.equal(await s.page.getByLabel('Địa chỉ email').inputValue(), 'thu.ky@tanthoi.gov.vn')
    })

    it('a resident who agreed at intake gets the receipt by e-mail, and its link opens the petition', async () => {
      const sec = await api(server.url, 'secretary.tanthoi')
      const units = await sec.call('GET', '/units')
      const hamlet = units.items.find((u) => u.parent_id === sec.me.unit_id && u.level === 'hamlet')
      const p = await sec.call('POST', '/petitions', {
        commune_id: sec.me.unit_id, hamlet_id: hamlet.id, channel: 'reception', kind: 'kien_nghi', topic_code: 'NS',
        content: 'Đề nghị nối đường ống nước sạch về tổ 3 ấp Tân Hòa.', name: 'Trần Thị Cúc', phone: '0909 555 111',
        consent: { agrees: true, channel: 'email', contact: 'cuc.tran@example.vn' },
      })
      story.p = p
      const m = await waitForMail(mail, (x) => x.to.includes('cuc.tran@example.vn'), 'of the receipt')
      assert.equal(m.subject, `Đã tiếp nhận ý kiến ${p.reference}`)
      assert.ok(m.headers['message-id'].includes(m.headers['x-idempotency-key']))
      const link = linkAfter(m.body, 'theo dõi kết quả xử lý tại:')
      assert.equal(link, `${server.url}/public/p/${p.reference}`)
      const r = await context()
      await r.page.goto(link)
      await r.page.locator('[data-public-petition]').getByRole('heading', { name: p.reference }).waitFor()
      await r.page.getByText('nối đường ống nước sạch').waitFor()
      await shot(r.page, vp.name, 'notify-01-public-page')
    })

    it('the petition page shows the consent, and the secretary records a new address on the resident’s word', async () => {
      const { page } = story.sec
      await page.goto(`${server.url}/petitions/${story.p.id}`)
      const panel = page.locator('[data-consent-panel]')
      await panel.getByText('đồng ý nhận thông báo qua email: cuc.tran@example.vn').waitFor()
      await panel.locator('[data-edit-consent]').click()
      await panel.getByLabel('Số điện thoại hoặc email nhận tin').fill('cuc.tran@')
      await story.sec.watch.allow(/status of 422/, async () => {
        await panel.getByRole('button', { name: 'Lưu đăng ký nhận tin' }).click()
        await panel.locator('#consent-contact-error').getByText('Địa chỉ email không hợp lệ.').waitFor()
      })
      await panel.getByLabel('Số điện thoại hoặc email nhận tin').fill('cuc.tran.moi@example.vn')
      await panel.getByRole('button', { name: 'Lưu đăng ký nhận tin' }).click()
      await panel.getByText('đồng ý nhận thông báo qua email: cuc.tran.moi@example.vn').waitFor()
      await page.locator('[data-timeline]').getByText('Thay đổi đăng ký nhận thông báo').waitFor()
      await shot(page, vp.name, 'notify-02-consent')
    })

    it('the chair assigns it to the commune: the secretary’s bell and mailbox tell her, and the link opens it', async () => {
      const chair = await session('chair.tanthoi')
      story.chair = chair
      await chair.page.goto(`${server.url}/petitions/${story.p.id}`)
      await chair.page.locator('[data-actions] [data-transition="assigned"]').click()
      const dlg = chair.page.getByRole('dialog')
      await dlg.getByLabel('hoặc đơn vị').selectOption({ label: 'Tân Thới' })
      await dlg.getByRole('button', { name: 'Giao xử lý' }).click()
      await chair.page.locator('[data-state]', { hasText: 'Đã giao xử lý' }).waitFor()

      const m = await waitForMail(mail, (x) => x.to.includes('thu.ky@tanthoi.gov.vn'), 'of the assignment')
      assert.equal(m.subject, `Được giao xử lý ý kiến ${story.p.reference}`)
      const link = /https?:\/\/\S+\/petitions\/\d+/.exec(m.body)[0]
      assert.equal(link, `${server.url}/petitions/${story.p.id}`)

      const { page } = story.sec
      await page.goto(server.url + '/')
      await page.locator('[data-unread]').getByText('1', { exact: true }).waitFor()
      await page.locator('[data-notifications]').click()
      await page.getByRole('dialog', { name: 'Thông báo' }).getByText(`Ý kiến ${story.p.reference} được giao`).click()
      await page.waitForURL(`**/petitions/${story.p.id}`)
      await page.goto(link)
      await page.locator('[data-reference]').waitFor()
      await page.locator('[data-notifications]').click()
      await page.getByRole('button', { name: 'Đánh dấu đã đọc tất cả' }).click()
      await page.locator('[data-unread]').waitFor({ state: 'detached' })
    })

    it('the chair publishes the answer: it reaches the resident’s new address, whose links open the answer and stop the messages', async () => {
      const { page } = story.chair
      await page.locator('[data-actions] [data-transition="answered"]').click()
      const dlg = page.getByRole('dialog')
      await dlg.getByLabel('Câu trả lời đã công bố').fill('Xã đã đưa tuyến ống tổ 3 vào kế hoạch quý tới.')
      await dlg.getByRole('button', { name: 'Công bố câu trả lời' }).click()
      await page.locator('[data-state]', { hasText: 'Đã trả lời' }).waitFor()

      const m = await waitForMail(mail, (x) => x.to.includes('cuc.tran.moi@example.vn'), 'of the answer')
      assert.equal(m.subject, `Đã có trả lời ý kiến ${story.p.reference}`)
      assert.ok(m.body.includes('Xã đã đưa tuyến ống tổ 3 vào kế hoạch quý tới.'), m.body)
      // A fresh browser, as the resident's phone would be: the public page may be cached for a minute.
      const r = (await context()).page
      await r.goto(linkAfter(m.body, 'Xem tại:'))
      await r.locator('[data-answer]', { hasText: 'kế hoạch quý tới' }).waitFor()
      await shot(r, vp.name, 'notify-03-answer')
      await r.goto(linkAfter(m.body, 'Không muốn nhận thông báo nữa:'))
      await r.getByRole('button', { name: 'Từ chối nhận thông báo' }).click()
      await r.getByText(`không nhận thêm thông báo về ý kiến ${story.p.reference}`).waitFor()

      await page.reload()
      await page.locator('[data-consent-panel]').getByText('đã từ chối nhận thông báo').waitFor()
      assert.equal(mail.messages.filter((x) => x.to.includes('cuc.tran.moi@example.vn')).length, 1)
    })

    it('no page logged a console error', () => {
      assert.deepEqual(consoles.flatMap((c) => c.errors), [])
    })
  })
}
