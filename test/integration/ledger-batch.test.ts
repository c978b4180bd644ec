/**
 * Deductions that share one transaction (issue 14, throughput) against DynamoDB Local: every
 * item of each deduction is written with one pool credit of the batch's sum; a member whose
 * entry exists ('exists') or whose guard fails ('guard-failed') is told so and the others are
 * still written, once; the pool equals the sum of the entries; and the coalescer hands each
 * caller its own outcome and sends full batches as one transaction.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../shared/app/context';
import { batchingApply } from '../../shared/app/ledger/batch-apply';
import { type ComputedCut, cutProject, type CutRun, type StoredProject } from '../../shared/app/ledger/cut-project';
import { queryAll } from '../../shared/aws/db';
import { keys } from '../../shared/aws/keys';
import { poolTotals } from '../../shared/aws/pool';
import { projectsRepo } from '../../shared/aws/projects-repo';
import { SYSTEM } from '../../shared/domain/access';
import type { LedgerApply } from '../../shared/domain/ledger-writes';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import type { Project } from '../../shared/domain/project';
import { setupTable } from '../support/harness';
import { depsAt, envDb, ledgerOfYear, project, putProjects } from '../support/ledger-fixtures';

const AT = '2031-10-01T01:20:00Z';
const YEAR = 2031;
let deps: AppDeps;

beforeAll(async () => {
  await setupTable();
  deps = depsAt(AT);
});

const cutOf =
  (amountFen: number) =>
  (p: StoredProject): ComputedCut => ({
    amountFen,
    budgetAfterFen: p.budgetFen - amountFen,
    figures: {
      budgetFen: p.budgetFen,
      spentAsOfFen: 0,
      spentNowFen: 0,
      progressBp: 0,
      thresholdBp: 8000,
      ratioBp: 10000,
      lagFen: amountFen,
      formulaFen: amountFen,
    },
    line: { spentFen: 0, progressBp: 0, thresholdBp: 8000, notes: [] },
  });

function run(group: string, apply?: CutRun['apply']): CutRun {
  return { deps, asOf: `${YEAR}-09-30`, year: YEAR, policy: DEFAULT_POLICY, actor: SYSTEM, outboxGroup: group, runId: group, ...(apply ? { apply } : {}) };
}

async function stored(prefix: string, n: number): Promise<Project[]> {
  const projects = Array.from({ length: n }, (_, i) => project({ projectId: `${prefix}-${i}`, deptId: `D${i % 3}`, year: YEAR, budgetFen: 1_000_000 + i }));
  await putProjects(envDb(), projects);
  return projects;
}

async function linesOf(group: string): Promise<number> {
  const items = await queryAll(envDb(), {
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': `OUTBOXG#${group}` },
  });
  return items.length;
}

describe('deductions in one transaction', () => {
  it('writes every member once; an existing entry and a failed guard are told apart, the rest still written', async () => {
    const projects = await stored('LB', 6);
    // LB-2 was cut before (its entry exists); LB-4 moved since it was read (its guard fails).
    await cutProject(run('lb'), 'PROGRESS_RECLAIM', projects[2] as StoredProject, cutOf(100));
    await putProjects(envDb(), [{ ...(projects[4] as Project), budgetFen: 999 }]);
    const inputs: LedgerApply[] = [];
    const collect: CutRun['apply'] = async (input) => {
      inputs.push(input);
      return 'exists';
    };
    // The described writes, as cutProject makes them for the projects as first read.
    for (const p of projects) await cutProject(run('lb', collect), 'PROGRESS_RECLAIM', p as StoredProject, cutOf(100));
    expect(inputs).toHaveLength(6);
    const outcomes = await deps.repos.ledger.applyMany(inputs);
    expect(outcomes).toEqual(['applied', 'applied', 'exists', 'applied', 'guard-failed', 'applied']);

    const ledger = (await ledgerOfYear(envDb(), YEAR)).filter((d) => d.projectId?.startsWith('LB-'));
    expect(ledger.map((d) => d.projectId)).toEqual(['LB-0', 'LB-1', 'LB-2', 'LB-3', 'LB-5']);
    const pool = await poolTotals(envDb(), YEAR);
    expect(pool.inFen).toBe(500);
    expect(pool.byRule).toEqual({ PROGRESS_RECLAIM: 500 });
    expect(await linesOf('lb')).toBe(5);
    for (const d of ledger) {
      const audit = await queryAll(envDb(), {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :a)',
        ExpressionAttributeValues: { ':pk': keys.deduction(d.deductionId).PK, ':a': 'AUDIT#' },
      });
      expect(audit).toHaveLength(1);
    }
    const after = await Promise.all(projects.map((p) => projectsRepo(envDb()).get(p.projectId)));
    expect(after.map((p) => p?.budgetFen)).toEqual([999_900, 999_901, 999_902, 999_903, 999, 999_905]);
  });

  it('the coalescer sends full batches as one transaction each and answers every caller', async () => {
    const projects = await stored('LC', 30);
    const calls: number[] = [];
    const counting = { applyMany: (inputs: LedgerApply[]) => (calls.push(inputs.length), deps.repos.ledger.applyMany(inputs)) };
    const apply = batchingApply(counting, { size: 12, lingerMs: 5 });
    const results = await Promise.all(projects.map((p) => cutProject(run('lc', apply), 'PROGRESS_RECLAIM', p as StoredProject, cutOf(7))));
    expect(results.map((r) => r.outcome)).toEqual(projects.map(() => 'applied'));
    expect(calls).toEqual([12, 12, 6]);
    // Again: every entry exists, each caller is told so, nothing more is credited.
    const again = await Promise.all(projects.map((p) => cutProject(run('lc', apply), 'PROGRESS_RECLAIM', p as StoredProject, cutOf(7))));
    expect(again.map((r) => r.outcome)).toEqual(projects.map(() => 'exists'));
    const pool = await poolTotals(envDb(), YEAR);
    expect(pool.inFen).toBe(500 + 30 * 7);
    expect(await linesOf('lc')).toBe(30);
  });
});
