// The menu: only what the signed-in user's role may use.
import { computed } from 'vue'
import { me } from './lib/session'
import type { MessageKey } from './lib/messages'

/** MenuItem is one entry of the menu. */
export interface MenuItem {
  to: string
  label: MessageKey
}

/** menu lists the entries for the signed-in user. */
export const menu = computed<MenuItem[]>(() => {
  const m = me.value
  if (!m) return []
  const has = (p: string) => m.permissions.includes(p)
  const items: MenuItem[] = []
  // District officials start from the figures; commune staff from their dialogues.
  if (has('reports.view') && (m.role === 'district_official' || m.role === 'admin')) items.push({ to: '/dashboard', label: 'nav.dashboard' })
  items.push({ to: '/dialogues', label: 'nav.dialogues' })
  if (has('dialogues.schedule')) items.push({ to: '/dialogues/new', label: 'nav.newDialogue' })
  items.push({ to: '/petitions', label: 'nav.petitions' })
  if (has('petitions.log')) items.push({ to: '/intake', label: 'nav.intake' })
  if (has('reports.view') && m.role !== 'district_official' && m.role !== 'admin') items.push({ to: '/dashboard', label: 'nav.dashboard' })
  if (has('units.manage') || m.role === 'district_official') items.push({ to: '/admin/units', label: 'nav.units' })
  if (has('units.manage')) items.push({ to: '/admin/reorganizations', label: 'nav.reorganizations' })
  if (has('topics.manage')) items.push({ to: '/admin/topics', label: 'nav.topics' })
  if (has('users.manage')) items.push({ to: '/admin/users', label: 'nav.users' })
  if (has('assignees.manage')) items.push({ to: '/admin/assignees', label: 'nav.assignees' })
  if (has('deadline_rules.manage')) items.push({ to: '/admin/deadline-rules', label: 'nav.deadlineRules' })
  return items
})
