// The small reference lists most screens need (units, topics), loaded once per sign-in, and the
// rules of a new petition the screens that log one check entries with.
import { ref } from 'vue'
import { getAll, get, type ListPage } from './api'
import type { PetitionRules, Topic, Unit } from './types'

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

/** petitionRules are the server's rules of a new petition (GET /petitions/rules), once loaded. */
export const petitionRules = ref<PetitionRules | null>(null)

let rulesLoaded: Promise<void> | null = null

/** loadPetitionRules fetches the rules of a new petition once; the device keeps them, so a
 * screen opened offline still checks entries with them. */
export function loadPetitionRules(): Promise<void> {
  if (!rulesLoaded) {
    rulesLoaded = get<PetitionRules>('/petitions/rules').then((r) => {
      petitionRules.value = r
    })
    rulesLoaded.catch(() => (rulesLoaded = null))
  }
  return rulesLoaded
}
