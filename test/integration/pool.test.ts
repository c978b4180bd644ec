/**
 * The pool of a year against DynamoDB Local: its figures after a sweep, allocations (figures,
 * idempotency, refusals, concurrency), a reversal taking its amount back out, and a model-based
 * property test: over random sequences of deductions, allocations and reversals, the stored
 * pool is always reclaimed − allocated − reversed, and the project's budget moved by exactly
 * what the ledger and the allocations say.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle } from '../../local/inprocess-invoker';
import { allocate } from '../../shared/app/pool';
import { applyDeduction, projectBudgetChange } from '../../shared/aws/ledger';
import { depsFor, liveDb } from '../../functions/compose';
import { poolTotals } from '../../shared/aws/pool';
import { projectsRepo } from '../../shared/aws/projects-repo';
import { ConflictError } from '../../shared/domain/errors';
import { type Deduction, type DeductionRule, deductionId } from '../../shared/domain/ledger';
import { call, dept, expert, finance, performance, setupTable } from '../support/harness';
import { tableDigest } from '../support/table-digest';

const deps = depsFor(liveDb());
const db = liveDb();
const PERF = { sub: 'perf-officer', roles: ['performance' as const] };

const leaf = (projectId: string, year: number, budgetFen: number, extra: Record<string, unknown> = {}) => ({
  projectId,
  year,
  deptId: 'PL1',
  level: 1,
  name: `重点项目${projectId}`,
  category: 'policy',
  domain: '社会保障',
  fundSource: 'general',
  budgetFen,
  ...extra,
});

/** A ledger entry on a project, as any rule (or the appeals decision) writes one. */
async function entry(rule: DeductionRule, projectId: string, year: number, amountFen: number, tag: string, reverses?: string): Promise<string> {
  const p = await projectsRepo(db).get(projectId);
  if (!p) throw new Error(`no project ${projectId}`);
  const target = { kind: 'project' as const, projectId };
  const d: Deduction = {
    deductionId: deductionId(rule, target, `${year}-06-30`, tag),
    rule,
    year,
    deptId: p.deptId,
    target,
    asOf: `${year}-06-30`,
    amountFen,
    budgetBeforeFen: p.budgetFen,
    budgetAfterFen: p.budgetFen - amountFen,
    figures: {},
    status: 'applied',
    ...(reverses ? { reversesDeductionId: reverses } : {}),
    createdAt: new Date().toISOString(),
    createdBy: 'test',
  };
  const outcome = await applyDeduction(db, {
    deduction: d,
    targetChange: projectBudgetChange(db, { projectId, beforeFen: d.budgetBeforeFen, afterFen: d.budgetAfterFen, now: d.createdAt }),
    audit: { auditId: deps.ids.next(), actor: 'test', at: d.createdAt },
  });
  expect(outcome).toBe('applied');
  return d.deductionId;
}

beforeAll(async () => {
  await setupTable();
  expect((await call(performance, 'PUT', '/v1/departments/PL1', { name: '统筹测试部门', contactEmails: ['pool-pl1@idle-pool.test'] })).status).toBe(201);
  for (const p of [
    leaf('PL-A', 2020, 10_000_000),
    leaf('PL-L1', 2020, 0),
    leaf('PL-L2', 2020, 2_000_000, { level: 2, parentId: 'PL-L1' }),
    leaf('PL-2021', 2021, 1_000_000),
  ]) {
    expect((await call(performance, 'POST', '/v1/projects', p)).status).toBe(201);
  }
  expect((await call(performance, 'PUT', '/v1/carryovers/PC-1', { deptId: 'PL1', originYear: 2018, balanceFen: 5_000_000 })).status).toBe(201);
  const run = await call(performance, 'POST', '/v1/jobs/idle-funds-sweep/runs', { asOf: '2020-03-31' });
  expect(run.body.summary).toMatchObject({ deductions: 1, amountFen: 5_000_000 });
  // The run's email goes out in the background; the tests compare table digests.
  await settle();
});

afterAll(async () => {
  await settle();
});

describe('the pool of 2020', () => {
  const a1 = { allocationId: 'A1', projectId: 'PL-A', amountFen: 1_200_000, reason: '民生重点项目追加' };

  it('shows what the sweep reclaimed', async () => {
    const res = await call(finance, 'GET', '/v1/pool/2020');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      year: 2020,
      balanceFen: 5_000_000,
      inFen: 5_000_000,
      outFen: 0,
      reversedFen: 0,
      byRule: { CARRYOVER_RECLAIM: 5_000_000 },
      allocations: { count: 0, amountFen: 0 },
    });
    expect((await call(finance, 'GET', '/v1/pool/2021')).body).toMatchObject({ balanceFen: 0, inFen: 0, byRule: {} });
  });

  it('allocates to a leaf project, audited, and answers a replay with the first result', async () => {
    const res = await call(performance, 'POST', '/v1/pool/2020/allocations', a1);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      ...a1,
      year: 2020,
      deptId: 'PL1',
      budgetBeforeFen: 10_000_000,
      budgetAfterFen: 11_200_000,
      poolBalanceAfterFen: 3_800_000,
      createdBy: 'perf-officer',
    });
    expect((await call(finance, 'GET', '/v1/projects/PL-A')).body).toMatchObject({ budgetFen: 11_200_000, originalBudgetFen: 10_000_000 });
    expect((await call(finance, 'GET', '/v1/pool/2020')).body).toMatchObject({
      balanceFen: 3_800_000,
      inFen: 5_000_000,
      outFen: 1_200_000,
      allocations: { count: 1, amountFen: 1_200_000 },
    });

    const before = await tableDigest();
    const replay = await call(performance, 'POST', '/v1/pool/2020/allocations', { ...a1 });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(res.body);
    const different = await call(performance, 'POST', '/v1/pool/2020/allocations', { ...a1, amountFen: 1 });
    expect(different.status).toBe(409);
    expect(different.body.error.code).toBe('ID_CONFLICT');
    expect(await tableDigest()).toEqual(before);

    expect((await call(finance, 'GET', '/v1/pool/2020/allocations')).body.items).toEqual([res.body]);
    expect((await call(finance, 'GET', '/v1/pool/2020/allocations/A1')).body).toEqual(res.body);
    expect((await call(finance, 'GET', '/v1/pool/2020/allocations/NOPE')).status).toBe(404);
    const audit = await call(finance, 'GET', '/v1/audit/project/PL-A');
    expect(audit.body.items[0]).toMatchObject({
      action: 'project.budget.allocated',
      before: { budgetFen: 10_000_000 },
      after: { budgetFen: 11_200_000, allocationId: 'A1', poolYear: 2020 },
    });
  });

  it('refuses more than the balance, a project that is not a leaf of that year, and bad input, changing nothing', async () => {
    const before = await tableDigest();
    const over = await call(performance, 'POST', '/v1/pool/2020/allocations', { ...a1, allocationId: 'A-over', amountFen: 3_800_001 });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({
      code: 'POOL_INSUFFICIENT',
      details: [{ path: 'body.amountFen', message: 'more than the pool balance of 3800000 fen' }],
    });
    const notLeaf = await call(performance, 'POST', '/v1/pool/2020/allocations', { ...a1, allocationId: 'A-l1', projectId: 'PL-L1' });
    expect(notLeaf.status).toBe(409);
    expect(notLeaf.body.error.code).toBe('NOT_A_LEAF');
    const otherYear = await call(performance, 'POST', '/v1/pool/2020/allocations', { ...a1, allocationId: 'A-y', projectId: 'PL-2021' });
    expect(otherYear.status).toBe(400);
    expect(otherYear.body.error.details).toEqual([{ path: 'body.projectId', message: 'project PL-2021 is of year 2021, not 2020' }]);
    const bad = await call(performance, 'POST', '/v1/pool/2020/allocations', { allocationId: 'a b', projectId: 'PL-A', amountFen: 0, reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.allocationId', 'body.amountFen', 'body.reason']);
    expect(await tableDigest()).toEqual(before);
  });

  it('never allocates more than the balance when allocations race', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(performance, 'POST', '/v1/pool/2020/allocations', { allocationId: `RACE-${i}`, projectId: 'PL-A', amountFen: 500_000, reason: '并发追加' }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 201, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'POOL_INSUFFICIENT')).toBe(true);
    expect((await call(finance, 'GET', '/v1/pool/2020')).body).toMatchObject({
      balanceFen: 300_000,
      outFen: 4_700_000,
      allocations: { count: 8, amountFen: 4_700_000 },
    });
    expect((await call(finance, 'GET', '/v1/projects/PL-A')).body.budgetFen).toBe(14_700_000);
  });

  it('takes a reversed deduction back out: balance = reclaimed − allocated − reversed', async () => {
    const taken = await entry('DEFERRABLE_RECLAIM', 'PL-A', 2020, 1_000_000, 't1');
    expect((await call(finance, 'GET', '/v1/pool/2020')).body).toMatchObject({ balanceFen: 1_300_000, inFen: 6_000_000 });
    await entry('REVERSAL', 'PL-A', 2020, -1_000_000, 'r1', taken);
    const pool = (await call(finance, 'GET', '/v1/pool/2020')).body;
    expect(pool).toMatchObject({ balanceFen: 300_000, inFen: 6_000_000, outFen: 4_700_000, reversedFen: 1_000_000 });
    expect(pool.balanceFen).toBe(pool.inFen - pool.outFen - pool.reversedFen);
    expect((await call(performance, 'POST', '/v1/pool/2020/allocations', { ...a1, allocationId: 'A-over-by-1', amountFen: 300_001 })).status).toBe(409);
    expect((await call(performance, 'POST', '/v1/pool/2020/allocations', { ...a1, allocationId: 'A-last', amountFen: 300_000 })).body.poolBalanceAfterFen).toBe(
      0,
    );
    expect((await call(finance, 'GET', '/v1/projects/PL-A')).body.budgetFen).toBe(14_700_000 + 300_000);
  });

  it('is for finance and performance to read, and performance to allocate', async () => {
    for (const caller of [dept('PL1'), expert]) {
      expect((await call(caller, 'GET', '/v1/pool/2020')).status).toBe(403);
      expect((await call(caller, 'GET', '/v1/pool/2020/allocations')).status).toBe(403);
    }
    expect((await call(null, 'GET', '/v1/pool/2020')).status).toBe(401);
    for (const caller of [dept('PL1'), finance, expert]) {
      expect((await call(caller, 'POST', '/v1/pool/2020/allocations', { ...a1, allocationId: 'A-no' })).status).toBe(403);
    }
  });
});

describe('the pool’s arithmetic, against a model', () => {
  let nextYear = 2040;
  type Op = { t: 'deduct'; amount: number } | { t: 'allocate'; amount: number } | { t: 'reverse'; pick: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ t: fc.constant('deduct' as const), amount: fc.integer({ min: 1, max: 1_000_000 }) }),
    fc.record({ t: fc.constant('allocate' as const), amount: fc.integer({ min: 1, max: 1_500_000 }) }),
    fc.record({ t: fc.constant('reverse' as const), pick: fc.nat() }),
  );

  it('balance = reclaimed − allocated − reversed after every step, and the budget moves by exactly that', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 10 }), async (ops) => {
        const year = nextYear++;
        const projectId = `PM-${year}`;
        expect((await call(performance, 'POST', '/v1/projects', leaf(projectId, year, 100_000_000))).status).toBe(201);
        const model = { inFen: 0, outFen: 0, reversedFen: 0, budgetFen: 100_000_000 };
        const open: { id: string; amount: number }[] = [];
        for (const [i, o] of ops.entries()) {
          if (o.t === 'deduct') {
            open.push({ id: await entry('DEFERRABLE_RECLAIM', projectId, year, o.amount, `d${i}`), amount: o.amount });
            model.inFen += o.amount;
            model.budgetFen -= o.amount;
          } else if (o.t === 'allocate') {
            const balance = model.inFen - model.outFen - model.reversedFen;
            const attempt = allocate(deps, PERF, year, { allocationId: `M${i}`, projectId, amountFen: o.amount, reason: 'model' });
            if (o.amount <= balance) {
              expect((await attempt).allocation.poolBalanceAfterFen).toBe(balance - o.amount);
              model.outFen += o.amount;
              model.budgetFen += o.amount;
            } else {
              await expect(attempt).rejects.toSatisfy((e: unknown) => e instanceof ConflictError && e.code === 'POOL_INSUFFICIENT');
            }
          } else if (open.length > 0) {
            const [taken] = open.splice(o.pick % open.length, 1) as [{ id: string; amount: number }];
            await entry('REVERSAL', projectId, year, -taken.amount, `r${i}`, taken.id);
            model.reversedFen += taken.amount;
            model.budgetFen += taken.amount;
          }
          const pool = await poolTotals(db, year);
          expect({ inFen: pool.inFen, outFen: pool.outFen, reversedFen: pool.reversedFen, balanceFen: pool.balanceFen }).toEqual({
            inFen: model.inFen,
            outFen: model.outFen,
            reversedFen: model.reversedFen,
            balanceFen: model.inFen - model.outFen - model.reversedFen,
          });
        }
        expect((await projectsRepo(db).get(projectId))?.budgetFen).toBe(model.budgetFen);
      }),
      { numRuns: 12 },
    );
  });
});
