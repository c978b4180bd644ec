/**
 * Sweeps running at the same time, past the job lock (two copies of the 03-31 sweep and the
 * 06-30 one at once, interleaved at random): every record is reclaimed by exactly one ledger
 * entry, every deferrable project's budget moved by exactly the sum of its entries, and the
 * pool, the stored sweep totals and the ledger agree to the fen.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runIdleFundsSweep } from '../../shared/app/jobs/idle-funds-sweep';
import type { JobContext } from '../../shared/app/jobs/types';
import { policiesRepo } from '../../shared/aws/policies-repo';
import { queryAll, sleep } from '../../shared/aws/db';
import { idleRepo, readSweepTotals } from '../../shared/aws/idle-funds-repo';
import { keys } from '../../shared/aws/keys';
import { depsFor, liveDb } from '../../functions/compose';
import { poolTotals } from '../../shared/aws/pool';
import { SYSTEM } from '../../shared/domain/access';
import { IDLE_KINDS, type IdleKind, type IdleRecord } from '../../shared/domain/idle-records';
import { call, performance, setupTable } from '../support/harness';

const deps = depsFor(liveDb());
const db = liveDb();
const DEPTS = ['K01', 'K02', 'K03'];
const records: { kind: IdleKind; id: string; fen: number }[] = [];
const projects: { id: string; budget: number }[] = [];

beforeAll(async () => {
  await setupTable();
  for (const d of DEPTS)
    expect((await call(performance, 'PUT', `/v1/departments/${d}`, { name: `并发${d}`, contactEmails: [`${d}@idle-conc.test`] })).status).toBe(201);
  const puts: Promise<unknown>[] = [];
  for (let i = 0; i < 12; i++) {
    const deptId = DEPTS[i % 3] as string;
    const fen = 100_000 + i * 1_001;
    records.push(
      { kind: 'carryover', id: `KC-${i}`, fen },
      { kind: 'payable', id: `KP-${i}`, fen: fen + 7 },
      { kind: 'account', id: `KA-${i}`, fen: fen + 13 },
    );
    puts.push(
      call(performance, 'PUT', `/v1/carryovers/KC-${i}`, { deptId, originYear: 2018, balanceFen: fen }),
      call(performance, 'PUT', `/v1/payables/KP-${i}`, { deptId, counterparty: '某公司', amountFen: fen + 7, since: '2016-12-31' }),
      call(performance, 'PUT', `/v1/account-balances/KA-${i}`, { deptId, unitName: '某单位', balanceFen: fen + 13, lastMovementDate: '2018-12-31' }),
    );
  }
  for (let i = 0; i < 6; i++) {
    const budget = 10_000_000 + i * 333_333;
    projects.push({ id: `KD-${i}`, budget });
    puts.push(
      call(performance, 'POST', '/v1/projects', {
        projectId: `KD-${i}`,
        year: 2020,
        deptId: DEPTS[i % 3],
        level: 1,
        name: `可暂缓项目${i}`,
        category: 'equipment',
        domain: '教育',
        fundSource: 'general',
        budgetFen: budget,
        deferrable: true,
      }),
    );
  }
  const out = (await Promise.all(puts)) as { status: number }[];
  expect(out.every((r) => r.status === 201)).toBe(true);
  for (let i = 0; i < 6; i += 2) {
    expect(
      (
        await call(performance, 'POST', `/v1/projects/KD-${i}/expenditures`, {
          expenditureId: 'E',
          date: '2020-01-15',
          amountFen: 1_000_000 + i,
          kind: 'payment',
        })
      ).status,
    ).toBe(201);
  }
});

async function context(asOf: string, runId: string): Promise<JobContext> {
  return {
    deps,
    job: 'idle-funds-sweep',
    asOf,
    year: 2020,
    policy: await policiesRepo(db).effective(2020),
    runId,
    actor: SYSTEM,
    outboxGroup: `idle-funds-sweep~${asOf}`,
    concurrency: 8,
  };
}

describe('concurrent sweeps', () => {
  it('take each record exactly once, and the pool, the totals and the ledger agree', async () => {
    const jitter = { beforeCandidate: () => sleep(Math.random() * 4) };
    const summaries = await Promise.all([
      runIdleFundsSweep(await context('2020-03-31', 'RUN-A'), jitter),
      runIdleFundsSweep(await context('2020-03-31', 'RUN-B'), jitter),
      runIdleFundsSweep(await context('2020-06-30', 'RUN-C'), jitter),
    ]);
    const made = summaries.reduce((s, x) => s + Number(x.deductions), 0);
    const madeFen = summaries.reduce((s, x) => s + Number(x.amountFen), 0);

    const ledger = await queryAll<{ amountFen: number; projectId?: string; carryoverId?: string; payableId?: string; accountId?: string; asOf: string }>(db, {
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.deductionsPartition(2020) },
    });
    const repo = idleRepo(db);
    const stored = new Map<string, IdleRecord>();
    for (const kind of IDLE_KINDS) {
      const ids = records.filter((r) => r.kind === kind).map((r) => r.id);
      for (const [id, rec] of await repo.getMany(kind, ids)) stored.set(id, rec);
    }
    for (const r of records) {
      const entries = ledger.filter((d) => (d.carryoverId ?? d.payableId ?? d.accountId) === r.id);
      expect({ id: r.id, entries: entries.length, fen: entries[0]?.amountFen }).toEqual({ id: r.id, entries: 1, fen: r.fen });
      expect(stored.get(r.id)).toMatchObject({ status: 'reclaimed', version: 2 });
    }
    const ledgerFen = ledger.reduce((s, d) => s + d.amountFen, 0);
    expect(ledger.length).toBe(made);
    expect(ledgerFen).toBe(madeFen);
    for (const p of projects) {
      const taken = ledger.filter((d) => d.projectId === p.id).reduce((s, d) => s + d.amountFen, 0);
      const now = (await call(performance, 'GET', `/v1/projects/${p.id}`)).body;
      expect(now.budgetFen).toBe(p.budget - taken);
      expect(now.budgetFen).toBeGreaterThanOrEqual(now.spentFen);
      // At most one entry per project and as-of date.
      expect(new Set(ledger.filter((d) => d.projectId === p.id).map((d) => d.asOf)).size).toBe(ledger.filter((d) => d.projectId === p.id).length);
    }
    const pool = await poolTotals(db, 2020);
    expect(pool.inFen).toBe(ledgerFen);
    const totals = await readSweepTotals(db, 2020);
    expect(totals.reduce((s, t) => s + t.amountFen, 0)).toBe(ledgerFen);
    expect(totals.reduce((s, t) => s + t.deductions, 0)).toBe(ledger.length);
    const projectFen = ledger.filter((d) => d.projectId).reduce((s, d) => s + d.amountFen, 0);
    expect(ledgerFen - projectFen).toBe(records.reduce((s, r) => s + r.fen, 0));

    // And once more, all three: nothing new.
    const again = await Promise.all([runIdleFundsSweep(await context('2020-03-31', 'RUN-D')), runIdleFundsSweep(await context('2020-06-30', 'RUN-E'))]);
    expect(again.map((s) => s.deductions)).toEqual([0, 0]);
    expect((await poolTotals(db, 2020)).inFen).toBe(ledgerFen);
  });
});
