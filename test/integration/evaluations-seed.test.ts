/**
 * The demo evaluation season (local/seed/evaluations.ts) loaded the way `npm start` loads it,
 * on top of the demo generators it builds on, then read back through the routes: the figures
 * of the reference report's third part.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_INCOME_DEMO, businessIncomeSeed } from '../../local/seed/business-income';
import { demo2020 } from '../../local/seed/demo-2020';
import { DEMO_EVALUATIONS, evaluationsSeed } from '../../local/seed/evaluations';
import { batchWrite, type SeedContext } from '../../local/seed/index';
import { demoIndicators } from '../../local/seed/indicators';
import { monitoringSeed } from '../../local/seed/monitoring';
import { nextYearSeed } from '../../local/seed/next-year';
import { demoTargets } from '../../local/seed/targets';
import { documentClient } from '../../shared/aws/clients';
import { call, finance, performance, setupTable } from '../support/harness';

const db = () => ({ doc: documentClient(), table: process.env.TABLE_NAME as string });
let summary: Record<string, any> = {};
let seconds = 0;

beforeAll(async () => {
  await setupTable();
  const ctx: SeedContext = { db: db(), log: () => undefined, write: (items) => batchWrite(db(), items) };
  for (const g of [demo2020, businessIncomeSeed, demoIndicators, demoTargets, monitoringSeed, nextYearSeed]) await g.run(ctx);
  const t = Date.now();
  summary = await evaluationsSeed.run(ctx);
  seconds = (Date.now() - t) / 1000;
  console.log(`evaluations seed: ${seconds.toFixed(1)} s`, JSON.stringify(summary));
}, 900_000);

describe('demo evaluation season (SPEC §3.9, §3.10)', () => {
  it('self-evaluates every 2020 leaf with an approved target, with a spread of grades, 14 departments published', async () => {
    expect(summary.skipped).toBe(0);
    expect(summary.confirmed).toBeGreaterThan(0.8 * (summary.leaves - summary.noApprovedTarget));
    const list = await call(finance, 'GET', '/v1/self-evaluations?year=2020');
    expect(list.body.total).toBe(summary.leaves - summary.noApprovedTarget);
    for (const g of ['优', '良', '中', '差']) expect(list.body.grades[g]).toBeGreaterThan(0);
    const pub = await call(null, 'GET', '/v1/public/2020/self-evaluations');
    expect(pub.body.coverage.departments).toBe(14);
    expect(pub.body.items.every((i: any) => i.breakdown.length > 1)).toBe(true);
    console.log('self-evaluations', JSON.stringify({ total: list.body.total, grades: list.body.grades, published: pub.body.coverage }));
  });

  it('14 key evaluations of four kinds, 34.4 billion yuan, +70.9% over 2019, 12 panel members, 61 suggestions', async () => {
    const s = await call(finance, 'GET', '/v1/evaluations/summary/2020');
    expect(s.body).toMatchObject({
      count: 14,
      finalized: 14,
      byKind: { 'industry-policy': 3, 'livelihood-policy': 4, 'livelihood-project': 5, 'department-overall': 2 },
      fundsFen: DEMO_EVALUATIONS.fundsFen,
      lastYear: { count: 10, fundsFen: DEMO_EVALUATIONS.lastYear.fundsFen },
      growthBp: 7090,
      panelMembers: 12,
      suggestions: 61,
    });
    const st = s.body.suggestionsByStatus;
    expect(st.open + st['in-progress'] + st.done + st.accepted).toBe(61);
    for (const k of ['open', 'in-progress', 'done', 'accepted']) expect(st[k]).toBeGreaterThan(0);
    expect(s.body.rectified).toBe(st.accepted);
    console.log('summary', JSON.stringify(s.body));
  });

  it('results proposals for the 2021 continuations: cuts from key and self-evaluations, priorities', async () => {
    const r = await call(finance, 'GET', '/v1/results/2020/proposals');
    const withNext = r.body.items.filter((p: any) => p.continuing.length > 0);
    expect(withNext.filter((p: any) => p.action === 'cut').length).toBeGreaterThanOrEqual(10);
    expect(withNext.filter((p: any) => p.gradeSource === 'key-evaluation').length).toBeGreaterThanOrEqual(10);
    console.log('proposals', JSON.stringify(r.body.totals));
  });
});

// The annual report of the demo year (SPEC §3.11), hosted here so the demo is seeded once:
// the reference report's figures that this data set makes exist (the clean-up's 260 projects
// and 1.9 billion yuan are checked in test/local/seed-front.test.ts).
describe('demo annual report and what-if (SPEC §3.11)', () => {
  it('reproduces the reference report: 87 of 87, 330 (+14 business-income) and 1,700 targets, the library, 14 evaluations, 34.4 billion, +70.9%, 12, 61, 14, 700 million', async () => {
    const t = Date.now();
    const res = await call(finance, 'GET', '/v1/reports/2020/annual');
    const seconds = (Date.now() - t) / 1000;
    expect(res.status).toBe(200);
    const r = res.body;
    const v = (f: { value: number }) => f.value;
    expect([v(r.publication.departments), v(r.publication.published)]).toEqual([87, 87]);
    // 330 level-1 projects of the demo and the 14 business-income projects, which the demo adds
    // as level-1 projects of their own (to be folded into the 330: README, the annual report).
    expect(r.targets.groups.map((g: any) => [g.label, v(g.filed)])).toEqual([
      ['一级项目', 344],
      ['二级项目', 1700],
      ['部门整体', 87],
    ]);
    expect([r.library.general, r.library.generalCategories, r.library.core, r.library.domains, r.library.coreCategories, r.library.fundUses].map(v)).toEqual([
      162, 6, 2696, 19, 64, 190,
    ]);
    expect(r.keyEvaluations).toMatchObject({
      count: { value: 14 },
      fundsFen: { value: DEMO_EVALUATIONS.fundsFen },
      growthBp: { value: 7090 },
      panelMembers: { value: 12 },
      suggestions: { value: 61 },
    });
    expect(DEMO_EVALUATIONS.fundsFen).toBe(3_440_000_000_000);
    expect(v(r.selfEvaluation.publishedDepartments)).toBe(14);
    expect(r.businessIncome).toMatchObject({ projects: { value: BUSINESS_INCOME_DEMO.departments }, budgetFen: { value: 70_000_000_000 } });
    console.log(`demo annual report: ${seconds.toFixed(2)} s`);
    expect(seconds).toBeLessThan(10);
  });

  it('what-if of the demo year, no override: reproduces the ledger', async () => {
    const t = Date.now();
    const res = await call(performance, 'POST', '/v1/scenarios', { scenarioId: 'demo-same', year: 2020, policy: {} });
    const seconds = (Date.now() - t) / 1000;
    expect(res.status).toBe(201);
    expect(res.body.result.mismatches).toEqual([]);
    expect(res.body.result.reproducesLedger).toBe(true);
    console.log(`demo what-if: ${seconds.toFixed(2)} s`, JSON.stringify(res.body.result.totals));
    expect(seconds).toBeLessThan(10);
  });
});
