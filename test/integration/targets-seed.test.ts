/**
 * The demo data: the library of Xiamen's 2020 shape and targets for every 2020 project and
 * department, loaded the way `npm start` loads them, then read back through the API.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { demo2020 } from '../../local/seed/demo-2020';
import { batchWrite, type SeedContext } from '../../local/seed/index';
import { demoIndicators } from '../../local/seed/indicators';
import { demoTargets } from '../../local/seed/targets';
import { documentClient } from '../../shared/aws/clients';
import { getItem } from '../../shared/aws/db';
import { keys } from '../../shared/aws/keys';
import { poolTotals } from '../../shared/aws/pool';
import type { Deduction } from '../../shared/domain/ledger';
import { call, dept, finance, setupTable } from '../support/harness';
import { tableDigest } from '../support/table-digest';

const db = () => ({ doc: documentClient(), table: process.env.TABLE_NAME as string });
let summary: Record<string, number> & { published: number; cutFen: number } = { published: 0, cutFen: 0 };

beforeAll(async () => {
  await setupTable();
  const ctx: SeedContext = { db: db(), log: () => undefined, write: (items) => batchWrite(db(), items) };
  await demo2020.run(ctx);
  await demoIndicators.run(ctx);
  summary = (await demoTargets.run(ctx)) as typeof summary;
}, 600_000);

describe('demo targets', () => {
  it('covers every project and department of 2020, most approved, and publishes 87 of 87 departments', async () => {
    expect(summary).toMatchObject({ departmentTargets: 87, level1: 330, level2: 1700, departmentsPublished: 87, cuts: 8, rejected: 5, draft: 25 });
    expect(summary.approved).toBeGreaterThan(0.9 * 2117);
    const pub = await call(null, 'GET', '/v1/public/2020/targets');
    expect(pub.status).toBe(200);
    expect(pub.body.coverage).toEqual({ departments: 87, published: 87 });
    expect(pub.body.items).toHaveLength(summary.published);
    expect(pub.body.items.filter((i: { kind: string }) => i.kind === 'department')).toHaveLength(87);
  });

  it('lists the same figures through the review queue', async () => {
    const res = await call(finance, 'GET', '/v1/targets?year=2020&status=returned&limit=5');
    expect(res.body.counts).toEqual({
      draft: summary.draft,
      submitted: summary.submitted,
      returned: summary.returned,
      approved: summary.approved,
      rejected: summary.rejected,
    });
    expect(res.body.items[0]).toMatchObject({ status: 'returned', returnCount: expect.any(Number) });
  });

  it('made its cuts through the ledger: entry, budget and pool agree', async () => {
    const rejected = await call(finance, 'GET', '/v1/targets?year=2020&status=rejected');
    expect(rejected.body.items).toHaveLength(5);
    let total = 0;
    for (const item of rejected.body.items as { projectId: string; deptId: string }[]) {
      const t = await call(dept(item.deptId), 'GET', `/v1/projects/${item.projectId}/target`);
      expect(t.body).toMatchObject({ status: 'rejected', lastReview: { grade: '差', cuts: true }, cut: { state: 'done' } });
      const entry = await getItem<Deduction>(db(), keys.deduction(t.body.cut.deductionIds[0]));
      const project = await call(finance, 'GET', `/v1/projects/${item.projectId}`);
      expect(entry?.budgetAfterFen).toBe(project.body.budgetFen);
      expect(project.body.budgetFen).toBe(project.body.spentFen);
      total += entry?.amountFen ?? 0;
    }
    const pool = await poolTotals(db(), 2020);
    expect(pool.byRule.TARGET_REVIEW_CUT).toBe(summary.cutFen);
    expect(total).toBeLessThan(summary.cutFen);
  });

  it('loads a library of Xiamen’s 2020 shape', async () => {
    const res = await call(finance, 'GET', '/v1/indicators/summary');
    expect(res.body.stats).toMatchObject({ general: 162, generalCategories: 6, core: 2696, domains: 19, coreCategories: 64, fundUses: 190, total: 2858 });
    expect((await call(finance, 'GET', '/v1/indicators?scope=core&limit=1')).body.total).toBe(2696);
  });

  it('is idempotent: running the generator again changes nothing in the table', async () => {
    const ctx: SeedContext = { db: db(), log: () => undefined, write: (items) => batchWrite(db(), items) };
    const before = await tableDigest();
    const again = (await demoTargets.run(ctx)) as Record<string, number>;
    expect(again).toEqual(summary);
    expect(await tableDigest()).toEqual(before);
    expect((await poolTotals(db(), 2020)).byRule.TARGET_REVIEW_CUT).toBe(summary.cutFen);
  }, 600_000);
});
