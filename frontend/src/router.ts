// The app's screens and who may open them. The server decides what each user may do; the router
// only keeps people away from screens that would show them nothing but refusals. Screens load
// eagerly: a tablet that lost its connection must still open every one of them.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { me } from './lib/session'
import LoginView from './views/LoginView.vue'
import HomeView from './views/HomeView.vue'
import PasswordView from './views/PasswordView.vue'
import UnitsView from './views/UnitsView.vue'
import AssigneesView from './views/AssigneesView.vue'
import TopicsView from './views/TopicsView.vue'
import UsersView from './views/UsersView.vue'
import ReorganizationsView from './views/ReorganizationsView.vue'
import DeadlineRulesView from './views/DeadlineRulesView.vue'
import NotFoundView from './views/NotFoundView.vue'
import DialoguesView from './views/DialoguesView.vue'
import DialogueFormView from './views/DialogueFormView.vue'
import DialogueDetailView from './views/DialogueDetailView.vue'
import DialogueRunView from './views/DialogueRunView.vue'
import PetitionsView from './views/PetitionsView.vue'
import IntakeView from './views/IntakeView.vue'
import PetitionDetailView from './views/PetitionDetailView.vue'
import DashboardView from './views/DashboardView.vue'
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
  // A monitoring official starts from the figures: the dashboard is their home.
  if (to.name === 'home' && me.value.role === 'district_official') return { name: 'dashboard' }
  if (to.meta.roles && !to.meta.roles.includes(me.value.role)) return { name: 'home' }
  if (to.meta.permission && !me.value.permissions.includes(to.meta.permission)) return { name: 'home' }
  return true
})
