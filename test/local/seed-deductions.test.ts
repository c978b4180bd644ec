/**
 * The demo generators of the deductions issue: exemptions (local/seed/exemptions.ts) pick
 * lagging leaves of the demo year from the table and write their exemptions as the API would,
 * and the September job then skips exactly the approved ones; next-year continuations
 * (local/seed/next-year.ts) make the 12-31 cap cut something.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EXEMPTION_DEMO, exemptionsSeed } from '../../local/seed/exemptions';
import { runSeed } from '../../local/seed/index';
import { nextYearSeed } from '../../local/seed/next-year';
import { runJob } from '../../shared/app/jobs/runner';
import { SYSTEM } from '../../shared/domain/access';
import { call, finance, setupTable } from '../support/harness';
import { depsAt, envDb, ledgerOfYear, project, putProjects } from '../support/ledger-fixtures';

beforeAll(async () => {
  await setupTable();
  // 20 leaves lagging behind 80% at 09-30, 5 on track, and a central transfer (not exempt by default)
  await putProjects(envDb(), [
    ...Array.from({ length: 20 }, (_, i) =>
      project({
        projectId: `SX-L${String(i).padStart(2, '0')}`,
        deptId: `SX${i % 3}`,
        year: 2020,
        level: 1,
        budgetFen: 10_000_000,
        spentByDay: { '2020-06-30': 1_000_000 * (i % 7) },
      }),
    ),
    ...Array.from({ length: 5 }, (_, i) =>
      project({ projectId: `SX-T${i}`, deptId: 'SX0', year: 2020, level: 1, budgetFen: 10_000_000, spentByDay: { '2020-06-30': 8_000_000 } }),
    ),
  ]);
});

describe('seed: exemptions', () => {
  let summary: Record<string, unknown>;

  it('asks for exemptions on lagging leaves only, deterministically', async () => {
    const first = await runSeed('exemptions-test', envDb(), { generators: [exemptionsSeed] });
    summary = first.summaries.exemptions as Record<string, unknown>;
    expect(summary).toMatchObject({ laggingAtCheckpoint: 20, ...EXEMPTION_DEMO });
    const projects = summary.projects as string[];
    expect(projects).toHaveLength(12);
    expect(projects.every((id) => id.startsWith('SX-L'))).toBe(true);
    const again = await runSeed('exemptions-test', envDb(), { generators: [exemptionsSeed], force: true });
    expect((again.summaries.exemptions as Record<string, unknown>).projects).toEqual(projects);
    const listed = await call(finance, 'GET', '/v1/exemptions?year=2020&limit=100');
    expect(listed.body.items).toHaveLength(12);
    expect(listed.body.items.filter((e: { status: string }) => e.status === 'approved')).toHaveLength(8);
    expect(listed.body.items.every((e: { checkpoint: string; requestedAt: string }) => e.checkpoint === '2020-09-30' && e.requestedAt < '2020-09-30')).toBe(
      true,
    );
  });

  it('makes the September job skip exactly the approved ones', async () => {
    const run = await runJob(depsAt('2020-10-01T01:20:00Z'), { job: 'progress-reclaim', asOf: '2020-09-30', runId: 'seed-x', actor: SYSTEM });
    expect(run.summary).toMatchObject({ projects: 25, skippedExempted: 8, deductions: 12, onTrack: 5 });
    const ledger = await ledgerOfYear(envDb(), 2020);
    const approved = (summary.projects as string[]).slice(0, 8);
    expect(ledger.some((d) => approved.includes(d.projectId!))).toBe(false);
  });
});

describe('seed: next-year continuations', () => {
  it('continues the leaves below 90% at 11-30, and the 12-31 run cuts them to last year’s actual spending', async () => {
    const seeded = await runSeed('next-year-test', envDb(), { generators: [nextYearSeed] });
    // every 2020 leaf here is below 90% at 11-30 (the on-track ones sit at 80%)
    expect(seeded.summaries['next-year']).toMatchObject({ laggingAtCapDate: 25, continuations: 25, askedFen: 250_000_000 });
    const deps = depsAt('2020-12-01T01:30:00Z');
    const flag = await runJob(deps, { job: 'progress-cap', asOf: '2020-11-30', runId: 'ny-1', actor: SYSTEM });
    expect(flag.summary).toMatchObject({ flagged: 25 });
    const cap = await runJob(depsAt('2021-01-01T01:30:00Z'), { job: 'progress-cap', asOf: '2020-12-31', runId: 'ny-2', actor: SYSTEM });
    // caps: the year's spending, 57,000,000 over the 20 lagging + 5 × 8,000,000; asked 25 × 10,000,000
    expect(cap.summary).toMatchObject({ capped: 25, continuing: 25, deductions: 25, amountFen: 250_000_000 - 97_000_000 });
  });
});
