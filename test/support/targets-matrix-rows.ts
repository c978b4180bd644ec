/**
 * Rows for test/integration/access-matrix.test.ts (its fixtures: departments DA and DB, project
 * PA-1 of DA, year 2020), for the indicator library and target routes. Add them at the end of
 * MATRIX (`Object.assign(MATRIX, TARGET_MATRIX_ROWS)`), in this order: the target rows build on
 * each other (save → submit → review), and a target on PA-1 changes what the monitoring rows'
 * reports are checked against, so they must run after those. Checked: all 16 rows pass.
 */
type Who = 'own' | 'other' | 'finance' | 'performance' | 'expert' | 'anonymous';
interface Row {
  request: (who: Who) => { method: string; path: string; body?: unknown };
  expect: Record<Who, number>;
}

/** Lints clean on PA-1 (category other, no cost figures). */
const target = {
  goal: '矩阵测试目标',
  indicators: [
    { level1: 'output', level2: 'quantity', name: '完成数量', unit: '个', direction: '>=', targetValue: 1 },
    { level1: 'benefit', level2: 'social', name: '受益人数', unit: '人', direction: '>=', targetValue: 10 },
  ],
};
const anyone = { own: 200, other: 200, finance: 200, performance: 200, expert: 200, anonymous: 200 };
const readers = { own: 200, other: 200, finance: 200, performance: 200, expert: 403, anonymous: 401 };

export const TARGET_MATRIX_ROWS: Record<string, Row> = {
  'GET /v1/indicators': { request: () => ({ method: 'GET', path: '/v1/indicators?limit=5' }), expect: readers },
  'GET /v1/indicators/summary': { request: () => ({ method: 'GET', path: '/v1/indicators/summary' }), expect: readers },
  'GET /v1/indicators/export': { request: () => ({ method: 'GET', path: '/v1/indicators/export?format=csv' }), expect: readers },
  'POST /v1/indicators/import': {
    // The matrix sends JSON: performance reaches the import, which wants CSV or XLSX (400, nothing imported).
    request: () => ({ method: 'POST', path: '/v1/indicators/import', body: { not: 'a file' } }),
    expect: { own: 403, other: 403, finance: 403, performance: 400, expert: 403, anonymous: 401 },
  },
  'PUT /v1/projects/{projectId}/target': {
    request: () => ({ method: 'PUT', path: '/v1/projects/PA-1/target', body: target }),
    // own saves (201); performance saves the same content again (200, nothing new).
    expect: { own: 201, other: 404, finance: 403, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/projects/{projectId}/target': {
    request: () => ({ method: 'GET', path: '/v1/projects/PA-1/target' }),
    expect: { own: 200, other: 404, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/projects/{projectId}/target/history': {
    request: () => ({ method: 'GET', path: '/v1/projects/PA-1/target/history' }),
    expect: { own: 200, other: 404, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'POST /v1/projects/{projectId}/target/submit': {
    request: () => ({ method: 'POST', path: '/v1/projects/PA-1/target/submit' }),
    // own submits; performance finds it submitted already (409 ILLEGAL_TRANSITION).
    expect: { own: 200, other: 404, finance: 403, performance: 409, expert: 403, anonymous: 401 },
  },
  'POST /v1/projects/{projectId}/target/review': {
    request: () => ({ method: 'POST', path: '/v1/projects/PA-1/target/review', body: { decision: 'approve', grade: '优' } }),
    // finance approves; performance finds it approved (409).
    expect: { own: 403, other: 403, finance: 200, performance: 409, expert: 403, anonymous: 401 },
  },
  'PUT /v1/departments/{deptId}/targets/{year}': {
    request: () => ({ method: 'PUT', path: '/v1/departments/DA/targets/2020', body: { goal: '部门整体目标', indicators: [] } }),
    expect: { own: 201, other: 403, finance: 403, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/departments/{deptId}/targets/{year}': {
    request: () => ({ method: 'GET', path: '/v1/departments/DA/targets/2020' }),
    expect: { own: 200, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/departments/{deptId}/targets/{year}/history': {
    request: () => ({ method: 'GET', path: '/v1/departments/DA/targets/2020/history' }),
    expect: { own: 200, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'POST /v1/departments/{deptId}/targets/{year}/submit': {
    request: () => ({ method: 'POST', path: '/v1/departments/DA/targets/2020/submit' }),
    // No indicators: the lint refuses (409 LINT_FAILED) whoever may submit.
    expect: { own: 409, other: 403, finance: 403, performance: 409, expert: 403, anonymous: 401 },
  },
  'POST /v1/departments/{deptId}/targets/{year}/review': {
    request: () => ({ method: 'POST', path: '/v1/departments/DA/targets/2020/review', body: { decision: 'approve', grade: '优' } }),
    // A draft cannot be reviewed (409).
    expect: { own: 403, other: 403, finance: 409, performance: 409, expert: 403, anonymous: 401 },
  },
  'GET /v1/targets': {
    request: (who) => ({ method: 'GET', path: `/v1/targets?year=2020${who === 'other' ? '&deptId=DA' : ''}` }),
    expect: { own: 200, other: 403, finance: 200, performance: 200, expert: 403, anonymous: 401 },
  },
  'GET /v1/public/{year}/targets': { request: () => ({ method: 'GET', path: '/v1/public/2020/targets' }), expect: anyone },
};
