import 'fake-indexeddb/auto'
import { IDBFactory } from 'fake-indexeddb'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Outbox, idPlaceholder, type QueuedRequest } from './queue'

// Photos taken offline wait in the queue with the petition they belong to, which may itself be
// waiting: they go after it, to the id the server gave it, each with its own key.
let factory: IDBFactory
let box: Outbox

beforeEach(() => {
  factory = new IDBFactory()
  box = new Outbox('files', factory)
})
afterEach(async () => {
  await box.close()
})

async function petitionWithPhotos(n: number) {
  const p = await box.add({ method: 'POST', path: '/api/v1/petitions', body: { content: 'Cống vỡ' }, kind: 'petition', label: 'p', scope: 'dialogue:3', userId: 1 })
  const photos: QueuedRequest[] = []
  for (let i = 0; i < n; i++) {
    photos.push(
      await box.add({
        method: 'POST',
        path: `/api/v1/petitions/${idPlaceholder}/attachments`,
        body: null,
        files: [{ name: `anh-${i}.jpg`, type: 'image/jpeg', blob: new Blob([`jpeg ${i}`], { type: 'image/jpeg' }) }],
        after: p.key,
        kind: 'attachment',
        label: `photo ${i}`,
        scope: 'dialogue:3',
        userId: 1,
      }),
    )
  }
  return { p, photos }
}

describe('queued photos', () => {
  it('go after their petition, to the id it was given, each with its own key', async () => {
    const { p, photos } = await petitionWithPhotos(2)
    const sent: { path: string; key: string; file?: string }[] = []
    const res = await box.flush(1, async (item) => {
      sent.push({ path: item.path, key: item.key, file: item.files?.[0]?.name })
      if (item.kind === 'petition') return { id: 42, reference: 'TANTHOI-2026-0001' }
      expect(await item.files![0].blob.text()).toBe(`jpeg ${item.files![0].name.slice(4, 5)}`)
      return { items: [] }
    })
    expect(res).toEqual({ sent: 3, rejected: 0, waiting: 0, stopped: '' })
    expect(sent).toEqual([
      { path: '/api/v1/petitions', key: p.key, file: undefined },
      { path: '/api/v1/petitions/42/attachments', key: photos[0].key, file: 'anh-0.jpg' },
      { path: '/api/v1/petitions/42/attachments', key: photos[1].key, file: 'anh-1.jpg' },
    ])
  })

  it('keep the id across a reload when the connection drops after the petition went', async () => {
    const { photos } = await petitionWithPhotos(1)
    const res = await box.flush(1, async (item) => {
      if (item.kind === 'petition') return { id: 7 }
      throw { status: 0, message: 'offline' }
    })
    expect(res.stopped).toBe('network')
    await box.close()
    const reopened = new Outbox('files', factory)
    const [left] = await reopened.all()
    expect(left.key).toBe(photos[0].key)
    expect(left.path).toBe('/api/v1/petitions/7/attachments')
    expect(left.after).toBeUndefined()
    const paths: string[] = []
    expect((await reopened.flush(1, async (i) => void paths.push(i.path))).sent).toBe(1)
    expect(paths).toEqual(['/api/v1/petitions/7/attachments'])
    await reopened.close()
  })

  it('wait while their petition is refused, and go with it when it is given up', async () => {
    const { p } = await petitionWithPhotos(2)
    const tried: string[] = []
    const res = await box.flush(1, async (item) => {
      tried.push(item.kind)
      throw { status: 422, message: 'Nội dung quá ngắn', fields: { content: 'Quá ngắn' } }
    })
    expect(tried).toEqual(['petition'])
    expect(res).toEqual({ sent: 0, rejected: 1, waiting: 2, stopped: '' })
    await box.remove(p.key)
    expect(await box.all()).toEqual([])
  })
})
