// The menu: only what the signed-in user's role may use.
import { computed } from 'vue'
import { me } from './lib/session'
import type { MessageKey } from './lib/messages'

/** MenuItem is one entry of the menu. */
export interface MenuItem {
  to: string
  label: MessageKey
  icon: string
}

/** menu lists the entries for the signed-in user. */
export const menu = computed<MenuItem[]>(() => {
  const m = me.value
  if (!m) return []
  const has = (p: string) => m.permissions.includes(p)
  const items: MenuItem[] = [{ to: '/dialogues', label: 'nav.dialogues', icon: '🗣' }]
  if (has('dialogues.schedule')) items.push({ to: '/dialogues/new', label: 'nav.newDialogue', icon: '📅' })
  items.push({ to: '/petitions', label: 'nav.petitions', icon: '📨' })
  if (has('units.manage') || m.role === 'district_official') items.push({ to: '/admin/units', label: 'nav.units', icon: '🏛' })
  if (has('topics.manage')) items.push({ to: '/admin/topics', label: 'nav.topics', icon: '🏷' })
  if (has('users.manage')) items.push({ to: '/admin/users', label: 'nav.users', icon: '👥' })
  return items
})
