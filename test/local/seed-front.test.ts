/**
 * The demo's front of the cycle (local/seed/front.ts) over the demo year: the clean-up of 2020
 * cancels 260 projects and cuts exactly 1.9 billion yuan through the cancel use case, the new
 * projects are assessed with all three outcomes, ranked by their departments, and every ranked
 * domain gets a funding round — read back through the API.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { demo2020 } from '../../local/seed/demo-2020';
import { FRONT_DEMO, frontSeed } from '../../local/seed/front';
import { batchWrite, type SeedContext } from '../../local/seed/index';
import { RANKED_CATEGORIES } from '../../shared/domain/rules/ranking';
import { call, finance, setupTable } from '../support/harness';
import { envDb, ledgerOfYear } from '../support/ledger-fixtures';

let summary: Record<string, any>;

beforeAll(async () => {
  await setupTable();
  const ctx: SeedContext = { db: envDb(), log: () => undefined, write: (items) => batchWrite(envDb(), items) };
  await demo2020.run(ctx);
  summary = await frontSeed.run(ctx);
}, 900_000);

describe('demo: the front of 2020', () => {
  it('cancels 260 projects and cuts exactly 190,000,000,000 fen, all in the ledger', async () => {
    expect(summary.cancelled).toEqual({
      levelOnes: FRONT_DEMO.scatteredDepartments,
      duplicates: FRONT_DEMO.duplicates,
      projects: 260,
      cutFen: 190_000_000_000,
    });
    const totals = await call(finance, 'GET', '/v1/cleanup/2020/totals');
    expect(totals.body).toMatchObject({ year: 2020, projects: 260, cutFen: 190_000_000_000, reversed: { projects: 0, fen: 0 } });
    const cuts = (await ledgerOfYear(envDb(), 2020)).filter((d) => d.rule === 'CLEANUP_CUT');
    expect(cuts).toHaveLength(260);
    expect(cuts.reduce((s, d) => s + d.amountFen, 0)).toBe(190_000_000_000);
    // The cancelled requests had no spending: each cut is its whole budget.
    expect(cuts.every((d) => d.budgetAfterFen === 0 && d.amountFen === d.budgetBeforeFen)).toBe(true);
    // The annual report's first line (SPEC §3.11), from the same ledger.
    const report = await call(finance, 'GET', '/v1/reports/2020/annual');
    expect(report.body.cleanup).toMatchObject({ projects: { value: 260 }, cutFen: { value: 190_000_000_000 } });
    expect(report.body.reclaimed.byRule.find((x: { rule: string }) => x.rule === 'CLEANUP_CUT').amountFen.value).toBe(190_000_000_000);
  });

  it('found them with the scan: small, scattered and near-duplicate candidates', async () => {
    expect(summary.scan).toMatchObject({ year: 2020, projects: 1700 + 260 });
    const scattered = await call(finance, 'GET', '/v1/cleanup/2020/candidates?kind=scattered');
    const inScattered = new Set(scattered.body.items.flatMap((c: { projectIds: string[] }) => c.projectIds));
    // Every small request under a clean-up level-1 is in a scattered group of its department.
    expect([...inScattered].filter((id) => String(id).includes('-Q1-'))).toHaveLength(3 * FRONT_DEMO.scatteredDepartments);
    const near = await call(finance, 'GET', '/v1/cleanup/2020/candidates?kind=near-duplicate');
    const dupPairs = near.body.items.filter((c: { projectIds: string[] }) => c.projectIds.some((id) => id.includes('-R')));
    // Every duplicate request is a near-duplicate of the project it repeats (the same goal).
    expect(new Set(dupPairs.flatMap((c: { projectIds: string[] }) => c.projectIds.filter((id) => id.includes('-R')))).size).toBe(FRONT_DEMO.duplicates);
    expect(summary.scan.small).toBeGreaterThanOrEqual(180);
    console.log(`front seed: ${JSON.stringify(summary)}`);
  });

  it('assesses the new major projects with all three outcomes, ranks every department, and funds each ranked domain', async () => {
    expect(summary.majorProjects).toBeGreaterThan(10);
    expect(summary.assessments.support).toBeGreaterThan(0);
    expect(summary.assessments.adjust).toBeGreaterThan(0);
    expect(summary.assessments.reject).toBeGreaterThan(0);
    const domains = Object.keys(summary.rounds);
    expect(domains.length).toBeGreaterThan(5);
    for (const domain of domains) {
      const r = await call(finance, 'GET', `/v1/rankings/2020/${encodeURIComponent(domain)}`);
      expect(r.status).toBe(200);
      expect(r.body.fundedFen).toBeLessThanOrEqual(r.body.capFen);
      expect(r.body.order.every((o: { projectId: string }) => !o.projectId.includes('-R') && !o.projectId.includes('-Q1'))).toBe(true);
      expect(r.body.fundedFen).toBe(summary.rounds[domain].fundedFen);
    }
    expect(RANKED_CATEGORIES).toEqual(['infrastructure', 'it', 'equipment']);
  });
});
