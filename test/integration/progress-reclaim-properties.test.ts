/**
 * Properties of the September job against DynamoDB Local, over random project sets: the
 * ledger's sum per project equals its budget change, no budget ends below what was spent, no
 * deduction is more than the rule allows, the pool's intake equals the deductions, and a rerun
 * changes nothing.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../shared/app/jobs/runner';
import { poolTotals } from '../../shared/aws/pool';
import { SYSTEM } from '../../shared/domain/access';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { spentAsOf } from '../../shared/domain/project';
import { progressReclaim } from '../../shared/domain/rules/progress-reclaim';
import { setupTable } from '../support/harness';
import { depsAt, envDb, ledgerOfYear, project, projectsOf, putProjects } from '../support/ledger-fixtures';

beforeAll(async () => {
  await setupTable();
});

const projectArb = fc.record({
  budgetFen: fc.integer({ min: 0, max: 5_000_000_000_000 }),
  // spending as of 09-30, in bp of the budget, then refunds and later payments
  spentBp: fc.integer({ min: 0, max: 10_000 }),
  refundBp: fc.integer({ min: 0, max: 3_000 }),
  laterBp: fc.integer({ min: 0, max: 10_000 }),
});

describe('progress-reclaim properties (DynamoDB Local)', () => {
  let year = 2040;

  it('ledger = budget change, never below spent, never more than allowed, pool = deductions, rerun = nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(projectArb, { minLength: 1, maxLength: 8 }), async (specs) => {
        const y = year++;
        const projects = specs.map((s, i) => {
          const paid = Math.floor((s.budgetFen * s.spentBp) / 10000);
          const refund = Math.floor((paid * s.refundBp) / 10000);
          const later = Math.floor(((s.budgetFen - paid + refund) * s.laterBp) / 10000);
          const spentByDay: Record<string, number> = {};
          if (paid) spentByDay[`${y}-03-31`] = paid;
          if (refund) spentByDay[`${y}-09-30`] = -refund;
          if (later) spentByDay[`${y}-11-15`] = later;
          return project({ projectId: `PP-${y}-${i}`, deptId: `PD${i % 2}`, year: y, level: 1, budgetFen: s.budgetFen, spentByDay });
        });
        await putProjects(envDb(), projects);
        const run = await runJob(depsAt(`${y}-10-01T01:20:00Z`), { job: 'progress-reclaim', asOf: `${y}-09-30`, runId: `pp-${y}`, actor: SYSTEM });
        const ledger = await ledgerOfYear(envDb(), y);
        const after = await projectsOf(envDb(), y);
        let total = 0;
        for (const p of projects) {
          const entries = ledger.filter((d) => d.projectId === p.projectId);
          const sum = entries.reduce((s, d) => s + d.amountFen, 0);
          const now = after.get(p.projectId)!;
          expect(p.budgetFen - now.budgetFen).toBe(sum);
          expect(now.budgetFen).toBeGreaterThanOrEqual(now.spentFen);
          const allowed = progressReclaim(
            { budgetFen: p.budgetFen, spentAsOfFen: spentAsOf(p.spentByDay, `${y}-09-30`), spentNowFen: p.spentFen, fundSource: 'general', exempted: false },
            DEFAULT_POLICY.progressReclaim,
          );
          expect(sum).toBe(allowed.amountFen);
          expect(entries.length).toBe(allowed.amountFen > 0 ? 1 : 0);
          total += sum;
        }
        expect(run.summary).toMatchObject({ deductions: ledger.length, amountFen: total });
        expect((await poolTotals(envDb(), y)).inFen).toBe(total);
        const rerun = await runJob(depsAt(`${y}-10-02T01:20:00Z`), { job: 'progress-reclaim', asOf: `${y}-09-30`, runId: `pp-${y}-2`, actor: SYSTEM });
        expect(rerun.summary).toMatchObject({ deductions: 0, amountFen: 0, emails: 0 });
        expect(await ledgerOfYear(envDb(), y)).toHaveLength(ledger.length);
      }),
      { numRuns: 8 },
    );
  }, 120_000);
});
