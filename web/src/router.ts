/**
 * Routes, each a lazy chunk. `meta.roles` says who may open a page; the menu is built from the
 * same list (grouped by `meta.group`), so the console never offers what the role may not read.
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
    /** Shown in the menu, under this group. */
    menu?: boolean;
    group?: MenuGroup;
    public?: boolean;
  }
}

export const MENU_GROUPS = ['工作台', '审核与监控', '资金', '评价与结果', '年度报告'] as const;
export type MenuGroup = (typeof MENU_GROUPS)[number];

const readers: Role[] = ['department', 'finance', 'performance'];
const bureau: Role[] = ['finance', 'performance'];
const dept: Role[] = ['department'];
const writers: Role[] = ['department', 'performance'];

const page = (path: string, name: string, component: RouteRecordRaw['component'], title: string, roles: Role[], group?: MenuGroup): RouteRecordRaw =>
  ({ path, name, component, meta: { title, roles, menu: group !== undefined, group } }) as RouteRecordRaw;

/** The signed-in home: the layout and the inbox. */
const layout = () => import('./views/Layout.vue');
const inbox = () => import('./views/Inbox.vue');

export const consoleRoutes: RouteRecordRaw[] = [
  page('', 'inbox', inbox, '待办事项', [...readers, 'expert'], '工作台'),
  page('projects', 'projects', () => import('./views/department/Projects.vue'), '项目与支出进度', readers, '工作台'),
  page('projects/:projectId', 'project', () => import('./views/department/ProjectDetail.vue'), '项目详情', readers),
  page('projects/:projectId/target', 'target-editor', () => import('./views/department/TargetEditor.vue'), '绩效目标填报', writers),
  page('department-target', 'dept-target', () => import('./views/department/TargetEditor.vue'), '部门整体绩效目标', dept, '工作台'),
  page('projects/:projectId/monitoring', 'monitoring', () => import('./views/department/Monitoring.vue'), '绩效监控表', readers),
  page('exemptions', 'exemptions', () => import('./views/department/Exemptions.vue'), '豁免申请', readers, '工作台'),
  page('indicators', 'indicators', () => import('./views/department/Indicators.vue'), '指标库', readers, '工作台'),
  page('imports', 'imports', () => import('./views/bureau/Imports.vue'), '数据导入', ['performance'], '工作台'),
  page('idle-funds', 'idle-funds', () => import('./views/department/IdleFunds.vue'), '沉淀资金台账', readers, '资金'),
  page('self-evaluations', 'self-evaluations', () => import('./views/department/SelfEvaluations.vue'), '绩效自评', readers, '评价与结果'),
  page(
    'self-evaluations/publish',
    'self-evaluations-publish',
    () => import('./views/bureau/SelfEvaluationPublish.vue'),
    '自评报告公开',
    ['performance'],
    '评价与结果',
  ),
  page('self-evaluations/:projectId', 'self-evaluation', () => import('./views/department/SelfEvaluationEditor.vue'), '项目绩效自评', readers),
  page('suggestions', 'suggestions', () => import('./views/department/Suggestions.vue'), '评价整改', readers, '评价与结果'),
  page('deductions', 'deductions', () => import('./views/department/Deductions.vue'), '扣减与申诉', readers, '资金'),
  page('reviews', 'reviews', () => import('./views/bureau/Reviews.vue'), '审核队列', bureau, '审核与监控'),
  page('targets', 'targets', () => import('./views/bureau/TargetsReview.vue'), '绩效目标审核', bureau, '审核与监控'),
  page('snapshots', 'snapshots', () => import('./views/bureau/Snapshots.vue'), '双监控亮灯', readers, '审核与监控'),
  page('suspensions', 'suspensions', () => import('./views/bureau/Suspensions.vue'), '暂停项目解除', ['performance'], '审核与监控'),
  page('jobs', 'jobs', () => import('./views/bureau/Jobs.vue'), '作业运行', bureau, '审核与监控'),
  page('sweeps', 'sweeps', () => import('./views/bureau/Sweeps.vue'), '沉淀资金清理', bureau, '资金'),
  page('pool', 'pool', () => import('./views/bureau/Pool.vue'), '统筹资金', bureau, '资金'),
  page('department-ranking', 'department-ranking', () => import('./views/department/DepartmentRanking.vue'), '新增项目排序', dept, '资金'),
  page('ex-ante', 'ex-ante', () => import('./views/bureau/ExAnte.vue'), '事前绩效评估', bureau, '资金'),
  page('rankings', 'rankings', () => import('./views/bureau/Rankings.vue'), '支出排序', bureau, '资金'),
  page('cleanup', 'cleanup', () => import('./views/bureau/Cleanup.vue'), '政策清理', readers, '资金'),
  page('evaluations', 'evaluations', () => import('./views/bureau/Evaluations.vue'), '重点评价', [...readers, 'expert'], '评价与结果'),
  page('evaluations/new', 'evaluation-new', () => import('./views/bureau/EvaluationNew.vue'), '新建重点评价', ['performance'], '评价与结果'),
  page('proposals', 'proposals', () => import('./views/bureau/Proposals.vue'), '结果应用', readers, '评价与结果'),
  page('annual', 'annual', () => import('./views/bureau/AnnualReport.vue'), '年度绩效报告', bureau, '年度报告'),
  page('what-if', 'what-if', () => import('./views/bureau/WhatIf.vue'), '政策情景推演', ['performance'], '年度报告'),
];

const routes: RouteRecordRaw[] = [
  { path: '/signin', name: 'signin', component: () => import('./views/SignIn.vue'), meta: { title: '登录', public: true } },
  { path: CALLBACK_PATH, name: 'auth-callback', component: () => import('./views/SignIn.vue'), meta: { title: '登录', public: true } },
  { path: '/public', name: 'public', component: () => import('./views/public/PublicTargets.vue'), meta: { title: '绩效目标公开', public: true } },
  {
    path: '/public/self-evaluations',
    name: 'public-self-evaluations',
    component: () => import('./views/public/PublicSelfEvaluations.vue'),
    meta: { title: '绩效自评报告公开', public: true },
  },
  { path: '/', component: layout, children: consoleRoutes },
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

/** Starts loading a lazy route's code now (the router finds it loaded when it gets there). */
function load(component: unknown): void {
  if (typeof component === 'function') void Promise.resolve((component as () => unknown)()).catch(() => undefined);
}

/**
 * The code of the first page, started while main.ts still reads config.json: the page asked
 * for, or the sign-in page where the guard will send a visitor not signed in.
 */
export function preloadFirstPage(path: string, signedIn: boolean): void {
  const to = router.resolve(path);
  const target = signedIn || to.meta.public ? to : router.resolve({ name: 'signin' });
  for (const record of target.matched) load(record.components?.default);
}

/** The home's code (the layout and the inbox), loaded while the sign-in page waits for the user. */
export function preloadHome(): void {
  load(layout);
  load(inbox);
}

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 预算绩效管理系统` : '预算绩效管理系统';
});

export function menuFor(role: Role | undefined) {
  return menuOf(consoleRoutes, role);
}

/** The menu in its groups, empty groups left out. */
export function menuGroupsFor(role: Role | undefined) {
  const items = menuFor(role);
  return MENU_GROUPS.map((group) => ({ group, items: items.filter((r) => r.meta?.group === group) })).filter((g) => g.items.length > 0);
}
