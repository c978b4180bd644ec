/**
 * Routes, each a lazy chunk. `meta.roles` says who may open a page; the menu is built from the
 * same list, so the console never offers what the role may not read.
 */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import type { Role } from './api/types';
import { mayOpen, menuOf } from './auth/access';
import { CALLBACK_PATH } from './auth/config';
import { useSession } from './stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    roles?: Role[];
    /** Shown in the menu. */
    menu?: boolean;
    public?: boolean;
  }
}

const readers: Role[] = ['department', 'finance', 'performance'];
const bureau: Role[] = ['finance', 'performance'];

export const consoleRoutes: RouteRecordRaw[] = [
  { path: '', name: 'inbox', component: () => import('./views/Inbox.vue'), meta: { title: '待办事项', roles: [...readers, 'expert'], menu: true } },
  { path: 'projects', name: 'projects', component: () => import('./views/department/Projects.vue'), meta: { title: '项目与支出进度', roles: readers, menu: true } },
  { path: 'projects/:projectId', name: 'project', component: () => import('./views/department/ProjectDetail.vue'), meta: { title: '项目详情', roles: readers } },
  { path: 'deductions', name: 'deductions', component: () => import('./views/department/Deductions.vue'), meta: { title: '扣减与申诉', roles: readers, menu: true } },
  { path: 'targets', name: 'targets', component: () => import('./views/bureau/TargetsReview.vue'), meta: { title: '绩效目标审核', roles: bureau, menu: true } },
  { path: 'pool', name: 'pool', component: () => import('./views/bureau/Pool.vue'), meta: { title: '统筹资金', roles: bureau, menu: true } },
  { path: 'jobs', name: 'jobs', component: () => import('./views/bureau/Jobs.vue'), meta: { title: '作业运行', roles: bureau, menu: true } },
];

const routes: RouteRecordRaw[] = [
  { path: '/signin', name: 'signin', component: () => import('./views/SignIn.vue'), meta: { title: '登录', public: true } },
  { path: CALLBACK_PATH, name: 'auth-callback', component: () => import('./views/SignIn.vue'), meta: { title: '登录', public: true } },
  { path: '/public', name: 'public', component: () => import('./views/public/PublicTargets.vue'), meta: { title: '绩效目标公开', public: true } },
  { path: '/', component: () => import('./views/Layout.vue'), children: consoleRoutes },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach((to) => {
  const session = useSession();
  if (to.meta.public) return true;
  if (!session.signedIn) return { name: 'signin', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  if (!mayOpen(to.meta, session.role)) return { name: 'inbox' };
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 预算绩效管理系统` : '预算绩效管理系统';
});

export function menuFor(role: Role | undefined) {
  return menuOf(consoleRoutes, role);
}
