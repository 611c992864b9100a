// The small reference lists most screens need (units, topics), loaded once per sign-in.
import { ref } from 'vue'
import { getAll, get, type ListPage } from './api'
import type { Unit } from './types'
import type { Topic } from './types'

/** units are the units the signed-in user sees. */
export const units = ref<Unit[]>([])
/** topics are the active topics. */
export const topics = ref<Topic[]>([])

let loaded: Promise<void> | null = null

/** loadLookups fetches units and topics once; force reloads them. */
export function loadLookups(force = false): Promise<void> {
  if (!loaded || force) {
    loaded = Promise.all([getAll<Unit>('/units'), get<ListPage<Topic>>('/topics', { all: 'true' })]).then(([u, t]) => {
      units.value = u
      topics.value = t.items
    })
    loaded.catch(() => (loaded = null))
  }
  return loaded
}

/** unitName returns a unit's name by id. */
export function unitName(id: number | null | undefined): string {
  if (id == null) return ''
  return units.value.find((u) => u.id === id)?.name ?? `#${id}`
}

/** topicById returns a topic by id. */
export function topicById(id: number | null | undefined): Topic | undefined {
  return topics.value.find((t) => t.id === id)
}
