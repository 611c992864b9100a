// The officers of a commune a petition can be assigned to, for a select.
import { ref, type Ref } from 'vue'
import { get, type ListPage } from './api'
import type { Assignee } from './types'

/** assigneesOf loads the active officers of a commune into a ref (a new one unless given). */
export function assigneesOf(communeId: number, into: Ref<Assignee[]> = ref<Assignee[]>([])): Ref<Assignee[]> {
  void get<ListPage<Assignee>>('/assignees', { commune_id: communeId })
    .then((page) => (into.value = page.items))
    .catch(() => (into.value = []))
  return into
}
