// The app's screens and who may open them. The server decides what each user may do; the router
// only keeps people away from screens that would show them nothing but refusals. The screens a
// visitor meets first (sign-in, the public board) come with the app; the others load when first
// opened, so a phone on a slow link waits for none of them. The service worker keeps every
// screen on the device (public/sw.js, assets.json), so a tablet that lost its connection still
// opens them all.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { me } from './lib/session'
import LoginView from './views/LoginView.vue'
import NotFoundView from './views/NotFoundView.vue'
import PublicBoardView from './views/PublicBoardView.vue'
import PublicPetitionView from './views/PublicPetitionView.vue'

declare module 'vue-router' {
  interface RouteMeta {
    /** public screens need no sign-in. */
    public?: boolean
    /** roles that may open the screen; empty means every signed-in user. */
    roles?: string[]
    /** permission needed to open the screen. */
    permission?: string
  }
}

const HomeView = () => import('./views/HomeView.vue')
const PasswordView = () => import('./views/PasswordView.vue')
const UnitsView = () => import('./views/UnitsView.vue')
const AssigneesView = () => import('./views/AssigneesView.vue')
const TopicsView = () => import('./views/TopicsView.vue')
const UsersView = () => import('./views/UsersView.vue')
const ReorganizationsView = () => import('./views/ReorganizationsView.vue')
const DeadlineRulesView = () => import('./views/DeadlineRulesView.vue')
const DialoguesView = () => import('./views/DialoguesView.vue')
const DialogueFormView = () => import('./views/DialogueFormView.vue')
const DialogueDetailView = () => import('./views/DialogueDetailView.vue')
const DialogueRunView = () => import('./views/DialogueRunView.vue')
const PetitionsView = () => import('./views/PetitionsView.vue')
const IntakeView = () => import('./views/IntakeView.vue')
const PetitionDetailView = () => import('./views/PetitionDetailView.vue')
const DashboardView = () => import('./views/DashboardView.vue')

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: LoginView, meta: { public: true } },
  { path: '/', name: 'home', component: HomeView },
  { path: '/password', name: 'password', component: PasswordView },
  { path: '/dialogues', name: 'dialogues', component: DialoguesView },
  { path: '/dialogues/new', name: 'dialogue-new', component: DialogueFormView, meta: { permission: 'dialogues.schedule' } },
  { path: '/dialogues/:id(\\d+)', name: 'dialogue', component: DialogueDetailView },
  { path: '/dialogues/:id(\\d+)/edit', name: 'dialogue-edit', component: DialogueFormView, meta: { permission: 'dialogues.schedule' } },
  { path: '/dialogues/:id(\\d+)/run', name: 'dialogue-run', component: DialogueRunView },
  { path: '/petitions', name: 'petitions', component: PetitionsView },
  { path: '/intake', name: 'intake', component: IntakeView, meta: { permission: 'petitions.log' } },
  { path: '/petitions/:id(\\d+)', name: 'petition', component: PetitionDetailView },
  { path: '/dashboard', name: 'dashboard', component: DashboardView, meta: { permission: 'reports.view' } },
  { path: '/public/:communeId(\\d+)?', name: 'public', component: PublicBoardView, meta: { public: true } },
  { path: '/public/p/:reference', name: 'public-petition', component: PublicPetitionView, meta: { public: true } },
  { path: '/admin/units', name: 'units', component: UnitsView, meta: { roles: ['admin', 'district_official'] } },
  { path: '/admin/topics', name: 'topics', component: TopicsView, meta: { permission: 'topics.manage' } },
  { path: '/admin/users', name: 'users', component: UsersView, meta: { permission: 'users.manage' } },
  { path: '/admin/assignees', name: 'assignees', component: AssigneesView, meta: { permission: 'assignees.manage' } },
  { path: '/admin/reorganizations', name: 'reorganizations', component: ReorganizationsView, meta: { permission: 'units.manage' } },
  { path: '/admin/deadline-rules', name: 'deadline-rules', component: DeadlineRulesView, meta: { permission: 'deadline_rules.manage' } },
  { path: '/:rest(.*)*', name: 'notfound', component: NotFoundView, meta: { public: true } },
]

/** router is the app's router. */
export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach((to) => {
  if (to.meta.public) return true
  if (!me.value) return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } }
  // A password that falls short of the rules is changed before anything else.
  if (me.value.password_change_required && to.name !== 'password') return { name: 'password', query: to.fullPath === '/' ? {} : { next: to.fullPath } }
  // A monitoring official starts from the figures: the dashboard is their home.
  if (to.name === 'home' && me.value.role === 'district_official') return { name: 'dashboard' }
  if (to.meta.roles && !to.meta.roles.includes(me.value.role)) return { name: 'home' }
  if (to.meta.permission && !me.value.permissions.includes(to.meta.permission)) return { name: 'home' }
  return true
})
