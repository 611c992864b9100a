// Photos in the field, in a real Chromium against a real papi: a secretary on a tablet at a
// dialogue loses the connection, logs a petition with a photo whose EXIF carries a GPS position,
// and both wait on the device; when the connection returns they go, the petition first, and the
// stored photo has no GPS left. The chair then shows it on the public board, where residents see
// its thumbnail and nothing else.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { chromiumMissing, launchBrowser, shot, signIn, startServer, viewports, watchConsole } from './harness.mjs'

// BASE is a small JPEG without metadata (24×16).
const BASE = Buffer.from(
  '/9j/2wCEAAoHBwgHBgoICAgLCgoLDhgQDg0NDh0VFhEYIx8lJCIfIiEmKzcvJik0KSEiMEExNDk7Pj4+JS5ESUM8SDc9PjsBCgsLDg0OHBAQHDsoIig7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7O//AABEIABAAGAMBIgACEQEDEQH/xAGiAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgsQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+gEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoLEQACAQIEBAMEBwUEBAABAncAAQIDEQQFITEGEkFRB2FxEyIygQgUQpGhscEJIzNS8BVictEKFiQ04SXxFxgZGiYnKCkqNTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqCg4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2dri4+Tl5ufo6ery8/T19vf4+fr/2gAMAwEAAhEDEQA/AOCt9I6fLWnb6R0+Wult9I6fLWnb6R0+Ws62YeZxZdmu2pzVvpHT5asf2R/s12FvpHT5as/2R/s15ssw13Pt6Ga+5uf/2Q==',
  'base64',
)

// SECRET is written into the EXIF description next to the GPS position.
const SECRET = 'TOA-DO-NHA-NGUOI-DAN'

/** withGPS returns the JPEG with an EXIF segment after its start marker: an image description
 * and a GPS IFD (10°21'14.75"N 106°21'55.20"E), as a phone camera writes them. */
function withGPS(jpeg) {
  const le16 = (n) => Buffer.from([n & 0xff, (n >> 8) & 0xff])
  const le32 = (n) => Buffer.from([n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff])
  const entry = (tag, type, count, value) => Buffer.concat([le16(tag), le16(type), le32(count), value])
  const desc = Buffer.from(SECRET + '\0')
  // Layout: header 8, IFD0 (2 entries) 2+24+4 = 30 → GPS IFD at 38 (4 entries) 2+48+4 = 54 → data at 92.
  const gpsAt = 38
  const dataAt = gpsAt + 54
  const lat = Buffer.concat([le32(10), le32(1), le32(21), le32(1), le32(1475), le32(100)])
  const lon = Buffer.concat([le32(106), le32(1), le32(21), le32(1), le32(5520), le32(100)])
  const descAt = dataAt + lat.length + lon.length
  const tiff = Buffer.concat([
    Buffer.from('II*\0'), le32(8),
    le16(2), entry(0x010e, 2, desc.length, le32(descAt)), entry(0x8825, 4, 1, le32(gpsAt)), le32(0),
    le16(4),
    entry(0x0001, 2, 2, Buffer.from('N\0\0\0')), entry(0x0002, 5, 3, le32(dataAt)),
    entry(0x0003, 2, 2, Buffer.from('E\0\0\0')), entry(0x0004, 5, 3, le32(dataAt + lat.length)),
    le32(0),
    lat, lon, desc,
  ])
  const payload = Buffer.concat([Buffer.from('Exif\0\0'), tiff])
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.from([(payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload])
  return { bytes: Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]), lat }
}

/** exifTags lists the tags of IFD0 of a JPEG's EXIF segment, or [] when it has none. */
function exifTags(jpeg) {
  for (let i = 2; i + 4 <= jpeg.length && jpeg[i] === 0xff; ) {
    const marker = jpeg[i + 1]
    const len = jpeg.readUInt16BE(i + 2)
    if (marker === 0xda) break
    if (marker === 0xe1 && jpeg.subarray(i + 4, i + 10).toString('latin1') === 'Exif\0\0') {
      const tiff = jpeg.subarray(i + 10, i + 2 + len)
      const big = tiff.toString('latin1', 0, 2) === 'MM'
      const u16 = (o) => (big ? tiff.readUInt16BE(o) : tiff.readUInt16LE(o))
      const u32 = (o) => (big ? tiff.readUInt32BE(o) : tiff.readUInt32LE(o))
      const ifd = u32(4)
      return Array.from({ length: u16(ifd) }, (_, k) => u16(ifd + 2 + 12 * k))
    }
    i += 2 + len
  }
  return []
}

const skip = chromiumMissing()
if (skip) console.log(`# SKIP browser tests: ${skip}`)

const tablet = viewports.find((v) => v.name === 'tablet')

describe('a photo taken offline at a dialogue, on a tablet', { skip: skip || !tablet }, () => {
  let server
  let browser
  const watches = []

  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  /** session signs username in on the tablet, at the home page. */
  function session(username) {
    return signIn(browser, server, tablet, username, { consoles: watches, path: '/', timeout: 10000 })
  }

  /** api reads the API as the page's user. */
  const api = (page, path) => page.evaluate(async (p) => (await fetch(p)).json(), path)

  const photo = withGPS(BASE)
  const content = 'Cống thoát nước trước chợ Tân Phong bị vỡ, nước tràn lên mặt đường.'
  const story = {}

  it('the photo waits on the device with its petition and goes when the connection returns, without its GPS', async () => {
    assert.deepEqual(exifTags(photo.bytes), [0x010e, 0x8825], 'the test photo carries a GPS IFD')
    const { context, page } = await session('secretary.tanthoi')
    const held = await api(page, '/api/v1/dialogues?status=held&limit=50')
    const dialogue = held.items.find((d) => d.title.includes('hộ kinh doanh ấp Tân Phong'))
    assert.ok(dialogue, 'the demo has a held dialogue at Tân Phong')
    story.dialogue = dialogue
    await page.goto(`${server.url}/dialogues/${dialogue.id}/run`)
    const pf = page.locator('[data-petition-form]')
    await pf.waitFor()

    await context.setOffline(true)
    await pf.locator('#pf-topic').selectOption({ label: 'Giao thông' })
    await pf.getByLabel('Nội dung ý kiến').fill(content)
    await pf.locator('[data-attach-input]').setInputFiles({ name: 'IMG_0042.jpg', mimeType: 'image/jpeg', buffer: photo.bytes })
    await pf.locator('[data-chosen-file] img').waitFor()
    await pf.locator('[data-record-petition]').click()
    const raised = page.locator('[data-raised]')
    await raised.locator('[data-waiting-petition]', { hasText: 'Cống thoát nước' }).locator('[data-waiting-files]', { hasText: 'kèm 1 tệp' }).waitFor()
    await page.locator('[data-waiting]', { hasText: '2 mục chờ gửi' }).waitFor()
    assert.equal(await pf.locator('[data-chosen-file]').count(), 0, 'the form is cleared for the next petition')
    // The photo itself is in IndexedDB, behind the petition, with a key of its own.
    const kept = await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const req = indexedDB.open('papi-offline')
          req.onerror = () => reject(req.error)
          req.onsuccess = () => {
            const get = req.result.transaction('outbox').objectStore('outbox').getAll()
            get.onsuccess = async () => {
              const items = get.result.sort((a, b) => a.seq - b.seq)
              resolve(await Promise.all(items.map(async (i) => ({ kind: i.kind, key: i.key, after: i.after ?? null, path: i.path, size: i.files ? (await i.files[0].blob.arrayBuffer()).byteLength : 0 }))))
            }
          }
        }),
    )
    assert.equal(kept.length, 2)
    assert.equal(kept[0].kind, 'petition')
    assert.deepEqual({ ...kept[1], key: undefined }, { kind: 'attachment', key: undefined, after: kept[0].key, path: '/api/v1/petitions/{id}/attachments', size: photo.bytes.length })
    assert.notEqual(kept[1].key, kept[0].key)
    await shot(page, tablet.name, 'attach-01-offline-photo')

    await context.setOffline(false)
    await page.getByText('Đã gửi 2 mục lưu khi mất kết nối.').waitFor()
    await page.locator('[data-waiting]').waitFor({ state: 'detached' })
    await raised.locator('[data-petition]', { hasText: content }).waitFor()

    const list = await api(page, `/api/v1/petitions?dialogue_id=${dialogue.id}&limit=200`)
    const petition = list.items.find((p) => p.content === content)
    assert.ok(petition, 'the petition was logged once')
    assert.equal(list.items.filter((p) => p.content === content).length, 1)
    story.petition = petition
    const atts = await api(page, `/api/v1/petitions/${petition.id}/attachments`)
    assert.equal(atts.items.length, 1)
    const [att] = atts.items
    assert.equal(att.kind, 'photo')
    assert.equal(att.original_name, 'IMG_0042.jpg')
    assert.ok(att.has_thumbnail)
    story.attachment = att
    const stored = Buffer.from(
      await page.evaluate(async (id) => Array.from(new Uint8Array(await (await fetch(`/api/v1/attachments/${id}/content`)).arrayBuffer())), att.id),
    )
    assert.equal(stored.length, att.size)
    assert.deepEqual(exifTags(stored), [], 'no EXIF left in the stored photo')
    assert.equal(stored.indexOf(SECRET), -1, 'the EXIF description is gone')
    assert.equal(stored.indexOf(photo.lat), -1, 'the GPS latitude is gone')
    assert.equal(stored.subarray(0, 2).toString('hex'), 'ffd8')
    await context.close()
  })

  it('a photo attached at intake while online goes at once', async () => {
    const { context, page } = await session('secretary.tanthoi')
    await page.goto(`${server.url}/dialogues/${story.dialogue.id}/run`)
    const pf = page.locator('[data-petition-form]')
    await pf.locator('#pf-topic').selectOption({ label: 'Môi trường' })
    const second = 'Rác thải đổ dọc kênh Tân Phong, bốc mùi hôi.'
    await pf.getByLabel('Nội dung ý kiến').fill(second)
    await pf.locator('[data-attach-input]').setInputFiles({ name: 'rac.jpg', mimeType: 'image/jpeg', buffer: BASE })
    await pf.locator('[data-record-petition]').click()
    await page.getByText(/Đã ghi ý kiến TANTHOI-/).waitFor()
    const list = await api(page, `/api/v1/petitions?dialogue_id=${story.dialogue.id}&limit=200`)
    const p = list.items.find((x) => x.content === second)
    const atts = await api(page, `/api/v1/petitions/${p.id}/attachments`)
    assert.deepEqual(atts.items.map((a) => a.original_name), ['rac.jpg'])
    await context.close()
  })

  it('the chair shows the photo on the public board, and residents see its thumbnail only', async () => {
    const { context, page } = await session('chair.tanthoi')
    await page.goto(`${server.url}/petitions/${story.petition.id}`)
    const panel = page.locator('[data-attachments]')
    await panel.locator('img').waitFor()
    await panel.getByLabel('Công khai trên bảng tin').check()
    await page.waitForFunction(
      async (id) => (await (await fetch(`/api/v1/attachments/${id}`)).json()).public === true,
      story.attachment.id,
    )
    await context.close()

    const pub = await browser.newContext({ viewport: { width: tablet.width, height: tablet.height }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' })
    const board = await pub.newPage()
    board.setDefaultTimeout(10000)
    watches.push(watchConsole(board, 'public'))
    await board.goto(`${server.url}/public/${story.petition.commune_id}`)
    const item = board.locator(`[data-board] [data-reference="${story.petition.reference}"]`)
    const thumb = item.locator('[data-public-photo]')
    await thumb.waitFor()
    await thumb.scrollIntoViewIfNeeded() // thumbnails load lazily, as they come into view
    await board.waitForFunction((el) => el.complete && el.naturalWidth > 0, await thumb.elementHandle())
    assert.equal(await board.locator('[data-board] [data-public-photo]').count(), 1, 'no other photo on the board')
    assert.equal(await thumb.getAttribute('src'), `/api/v1/public/photos/${story.attachment.id}/thumbnail`)
    await shot(board, tablet.name, 'attach-02-public-board-photo')
    await item.locator('[data-public-photo]').click()
    await board.locator('[data-public-petition]').waitFor()
    const full = board.locator('[data-public-petition] [data-public-photo]')
    await full.waitFor()
    assert.equal(await full.locator('xpath=..').getAttribute('href'), `/api/v1/public/photos/${story.attachment.id}`)
    const served = await board.evaluate(async (id) => {
      const r = await fetch(`/api/v1/public/photos/${id}`)
      return { status: r.status, type: r.headers.get('Content-Type'), body: Array.from(new Uint8Array(await r.arrayBuffer())) }
    }, story.attachment.id)
    assert.equal(served.status, 200)
    assert.equal(served.type, 'image/jpeg')
    assert.equal(Buffer.from(served.body).indexOf(SECRET), -1)
    await shot(board, tablet.name, 'attach-03-public-petition-photo')
    await pub.close()
  })

  it('logged no console errors', () => {
    assert.deepEqual(watches.flatMap((w) => w.errors), [])
  })
})
