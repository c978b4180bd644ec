/**
 * Rows for test/integration/access-matrix.test.ts (fixtures: departments DA and DB, project
 * PA-1 of DA, year 2020) for the self-evaluation, key-evaluation, rectification and results
 * routes (SPEC §3.9, §3.10). They run after TARGET_MATRIX_ROWS (PA-1's target is approved by
 * then) and in this order: save → submit → review, create → score → finalize → rectify.
 * `evaluationMatrixSetup` (in beforeAll) opens MX-EV on PA-1 and MX-EV-DB, an unfinished
 * evaluation of department DB that DA must not see; both assign expert-1.
 */
import { expect } from 'vitest';
import { call, performance } from './harness';

type Who = 'own' | 'other' | 'finance' | 'performance' | 'expert' | 'anonymous';
interface Row {
  request: (who: Who) => { method: string; path: string; body?: unknown };
  expect: Record<Who, number>;
}

const readers = { own: 200, other: 200, finance: 200, performance: 200, expert: 403, anonymous: 401 };
const performanceOnly = (ok: number) => ({ own: 403, other: 403, finance: 403, performance: ok, expert: 403, anonymous: 401 });
const ownList = (who: Who) => (who === 'own' || who === 'other' ? '&deptId=DA' : '');
const evaluation = (evaluationId: string, extra: Record<string, unknown>) => ({
  evaluationId,
  year: 2020,
  kind: 'livelihood-project',
  title: '矩阵测试评价',
  fundsFen: 1_000_000,
  panel: [{ name: '王专家', kind: 'expert', org: '某大学' }],
  experts: ['expert-1'],
  ...extra,
});

export async function evaluationMatrixSetup(): Promise<void> {
  expect((await call(performance, 'POST', '/v1/evaluations', evaluation('MX-EV', { projectIds: ['PA-1'] }))).status).toBe(201);
  expect((await call(performance, 'POST', '/v1/evaluations', evaluation('MX-EV-DB', { kind: 'department-overall', deptId: 'DB' }))).status).toBe(201);
}

export const EVALUATION_MATRIX_ROWS: Record<string, Row> = {
  'PUT /v1/projects/{projectId}/self-evaluation': {
    request: () => ({
      method: 'PUT',
      path: '/v1/projects/PA-1/self-evaluation',
      body: {
        indicators: [
          { index: 0, actual: 1 },
          { index: 1, actual: 10 },
        ],
        summary: '矩阵',
      },
    }),
    expect: { own: 201, other: 404, finance: 403, performance: 403, expert: 403, anonymous: 401 },
  },
  'GET /v1/projects/{projectId}/self-evaluation': {
    request: () => ({ method: 'GET', path: '/v1/projects/PA-1/self-evaluation' }),
    expect: { own: 200, other: 404, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/projects/{projectId}/self-evaluation/history': {
    request: () => ({ method: 'GET', path: '/v1/projects/PA-1/self-evaluation/history' }),
    expect: { own: 200, other: 404, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'POST /v1/projects/{projectId}/self-evaluation/submit': {
    request: () => ({ method: 'POST', path: '/v1/projects/PA-1/self-evaluation/submit' }),
    expect: { own: 200, other: 404, finance: 403, performance: 403, expert: 403, anonymous: 401 },
  },
  'POST /v1/projects/{projectId}/self-evaluation/review': {
    request: () => ({ method: 'POST', path: '/v1/projects/PA-1/self-evaluation/review', body: { decision: 'confirm' } }),
    // finance confirms first, then the performance office.
    expect: { own: 403, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/self-evaluations': {
    request: (who) => ({ method: 'GET', path: `/v1/self-evaluations?year=2020${ownList(who)}` }),
    expect: { own: 200, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'POST /v1/departments/{deptId}/self-evaluations/{year}/publish': {
    request: () => ({ method: 'POST', path: '/v1/departments/DA/self-evaluations/2020/publish' }),
    expect: performanceOnly(201),
  },
  'GET /v1/public/{year}/self-evaluations': {
    request: () => ({ method: 'GET', path: '/v1/public/2020/self-evaluations' }),
    expect: { own: 200, other: 200, finance: 200, performance: 200, expert: 200, anonymous: 200 },
  },
  'POST /v1/evaluations': {
    request: () => ({ method: 'POST', path: '/v1/evaluations', body: evaluation('MX-EV-NEW', { projectIds: ['PA-1'] }) }),
    expect: performanceOnly(201),
  },
  'GET /v1/evaluations': {
    request: () => ({ method: 'GET', path: '/v1/evaluations?year=2020' }),
    expect: { own: 200, other: 200, finance: 200, performance: 200, expert: 200, anonymous: 401 },
  },
  'GET /v1/evaluations/summary/{year}': { request: () => ({ method: 'GET', path: '/v1/evaluations/summary/2020' }), expect: readers },
  'GET /v1/evaluations/{evaluationId}': {
    // DB's unfinished evaluation: DA gets 404 (existence does not leak); its expert reads it.
    request: () => ({ method: 'GET', path: '/v1/evaluations/MX-EV-DB' }),
    expect: { own: 404, other: 200, finance: 200, performance: 200, expert: 200, anonymous: 401 },
  },
  'PUT /v1/evaluations/{evaluationId}/scores': {
    request: () => ({ method: 'PUT', path: '/v1/evaluations/MX-EV/scores', body: { decision: 100, process: 100, output: 90, benefit: 90 } }),
    expect: { own: 403, other: 403, finance: 403, performance: 403, expert: 200, anonymous: 401 },
  },
  'POST /v1/evaluations/{evaluationId}/finalize': {
    request: () => ({
      method: 'POST',
      path: '/v1/evaluations/MX-EV/finalize',
      body: { findings: '矩阵结论', suggestions: [{ suggestionId: 'MX-SG', deptId: 'DA', text: '矩阵建议' }] },
    }),
    expect: performanceOnly(200),
  },
  'GET /v1/suggestions': {
    request: (who) => ({ method: 'GET', path: `/v1/suggestions?year=2020${ownList(who)}` }),
    expect: { own: 200, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'PUT /v1/suggestions/{suggestionId}/rectification': {
    request: () => ({ method: 'PUT', path: '/v1/suggestions/MX-SG/rectification', body: { status: 'done', note: '已整改' } }),
    expect: { own: 200, other: 404, finance: 403, performance: 403, expert: 403, anonymous: 401 },
  },
  'POST /v1/suggestions/{suggestionId}/review': {
    request: () => ({ method: 'POST', path: '/v1/suggestions/MX-SG/review', body: { decision: 'accept' } }),
    expect: performanceOnly(200),
  },
  'GET /v1/results/{year}/proposals': {
    request: (who) => ({ method: 'GET', path: `/v1/results/2020/proposals${who === 'other' ? '?deptId=DA' : ''}` }),
    expect: { own: 200, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'POST /v1/results/{year}/proposals/{proposalId}/decision': {
    // PA-1's grade of record is MX-EV's 优 (95.00): a priority proposal, dropped here.
    request: () => ({ method: 'POST', path: '/v1/results/2020/proposals/PA-1/decision', body: { decision: 'drop' } }),
    expect: performanceOnly(200),
  },
};
