/**
 * The demo seed: its shape, its money, its determinism, and that the items it writes are the
 * ones the application reads and replays (same builders, same request hashes).
 */
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_INCOME_DEMO } from '../../local/seed/business-income';
import { buildDemo, DEMO, type DemoData, demo2020, demoStats } from '../../local/seed/demo-2020';
import { runSeed, SEEDS, seedMarkerKey } from '../../local/seed/index';
import { documentClient } from '../../shared/aws/clients';
import type { Db } from '../../shared/aws/db';
import { keys, LEAF_SHARDS } from '../../shared/aws/keys';
import { isBelowBp } from '../../shared/domain/money';
import { type Project, spentAsOf } from '../../shared/domain/project';
import { call, performance, setupTable } from '../support/harness';

let data: DemoData;
const level1 = () => data.projects.filter((p) => p.level === 1);
const level2 = () => data.projects.filter((p) => p.level === 2);

beforeAll(() => {
  data = buildDemo();
});

describe('the demo data set (pure)', () => {
  it('has the Xiamen 2020 shape: 87 departments, 330 level-1 and 1,700 level-2 projects', () => {
    expect(data.departments).toHaveLength(87);
    expect(data.departments[0]?.deptId).toBe('D001');
    expect(data.departments[86]?.deptId).toBe('D087');
    expect(new Set(data.departments.map((d) => d.domain)).size).toBe(19);
    expect(level1()).toHaveLength(330);
    expect(level2()).toHaveLength(1700);
    expect(new Set(data.projects.map((p) => p.projectId)).size).toBe(2030);
    expect(data.projects.every((p) => p.year === 2020)).toBe(true);
    // Every department has a level-1 project.
    expect(new Set(level1().map((p) => p.deptId)).size).toBe(87);
  });

  it('gives every level-1 children, and no budget of its own', () => {
    const children = new Map<string, Project[]>();
    for (const c of level2()) children.set(c.parentId as string, [...(children.get(c.parentId as string) ?? []), c]);
    for (const p of level1()) {
      const mine = children.get(p.projectId) ?? [];
      expect(mine.length).toBeGreaterThanOrEqual(1);
      expect(p.childCount).toBe(mine.length);
      expect(p).toMatchObject({ budgetFen: 0, originalBudgetFen: 0, spentFen: 0, spentByDay: {} });
      expect(mine.every((c) => c.deptId === p.deptId && c.domain === p.domain)).toBe(true);
    }
    expect(children.size).toBe(330);
  });

  it('funds exactly 700,000,000.00 yuan of leaves of 14 public-institution departments by business income, under the 330 level-1 projects', () => {
    const bi = level2().filter((p) => p.fundSource === 'business-income');
    const names = new Map(data.departments.map((d) => [d.deptId, d.name]));
    expect(bi.reduce((s, p) => s + p.budgetFen, 0)).toBe(70_000_000_000);
    expect(BUSINESS_INCOME_DEMO.totalFen).toBe(70_000_000_000);
    expect(bi.every((p) => (BUSINESS_INCOME_DEMO.departments as readonly string[]).includes(names.get(p.deptId) as string))).toBe(true);
    expect({ leaves: bi.length, departments: new Set(bi.map((p) => p.deptId)).size, levelOnes: new Set(bi.map((p) => p.parentId)).size }).toEqual({
      leaves: 99,
      departments: 13,
      levelOnes: 44,
    });
    // No level-1 project of its own: every level-1 is still one of the 330, with no budget.
    expect(level1().every((p) => p.fundSource === 'general' && p.budgetFen === 0)).toBe(true);
  });

  it('keeps money in whole fen on the leaves, spending within every budget and matching the ledger', () => {
    const byProject = new Map<string, typeof data.expenditures>();
    for (const e of data.expenditures) byProject.set(e.projectId, [...(byProject.get(e.projectId) ?? []), e]);
    for (const p of level2()) {
      expect(Number.isSafeInteger(p.budgetFen)).toBe(true);
      expect(p.budgetFen).toBeGreaterThanOrEqual(5_000_000);
      expect(p.budgetFen).toBeLessThanOrEqual(5_000_000_000);
      expect(p.originalBudgetFen).toBe(p.budgetFen);
      expect(p.spentFen).toBeGreaterThanOrEqual(0);
      expect(p.spentFen).toBeLessThanOrEqual(p.budgetFen);
      const ledger = byProject.get(p.projectId) ?? [];
      const net = ledger.reduce((s, e) => s + (e.kind === 'payment' ? e.amountFen : -e.amountFen), 0);
      expect(net).toBe(p.spentFen);
      expect(Object.values(p.spentByDay).reduce((s, v) => s + v, 0)).toBe(p.spentFen);
      for (const e of ledger) {
        expect(e.date.startsWith('2020-')).toBe(true);
        expect(Number.isSafeInteger(e.amountFen) && e.amountFen > 0).toBe(true);
        // Spending as of any date never exceeds the budget, and a refund never exceeds it.
        expect(spentAsOf(p.spentByDay, e.date)).toBeLessThanOrEqual(p.budgetFen);
        expect(spentAsOf(p.spentByDay, e.date)).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('has the quotas and the lag distribution docs/local.md states', () => {
    const leaves = level2();
    expect(leaves.filter((p) => p.deferrable)).toHaveLength(DEMO.deferrable);
    expect(leaves.filter((p) => p.isNew)).toHaveLength(DEMO.isNew);
    const below = (asOf: string, bp: number) => leaves.filter((p) => isBelowBp(spentAsOf(p.spentByDay, asOf), p.budgetFen, bp)).length;
    // Against the original budgets, as the seeded projects show them before any job runs.
    expect({
      below50At0630: below('2020-06-30', 5000),
      below80At0930: below('2020-09-30', 8000),
      below90At1130: below('2020-11-30', 9000),
      zero: leaves.filter((p) => p.spentFen === 0).length,
      fundSources: Object.fromEntries(
        ['general', 'central-transfer', 'fund-budget', 'business-income', 'other'].map((f) => [f, leaves.filter((p) => p.fundSource === f).length]),
      ),
    }).toEqual({
      below50At0630: 291,
      below80At0930: 257,
      below90At1130: 343,
      zero: 17,
      fundSources: { general: 1187, 'central-transfer': 168, 'fund-budget': 141, 'business-income': 99, other: 105 },
    });
    // Against the budget in force as the jobs would find it, replaying the year on time.
    expect(demoStats(data)).toEqual({
      leaves: 1700,
      budgetFen: 1_013_601_600_000,
      spentFen: 941_537_591_908,
      deferrable: 170,
      isNew: 255,
      refunds: 47,
      zeroSpending: 17,
      checkpoints: [
        { date: '06-30', benchmarkBp: 5000, belowBenchmark: 272, moreThanRedGapBelow: 81 },
        { date: '09-30', benchmarkBp: 7500, belowBenchmark: 178, moreThanRedGapBelow: 103 },
      ],
      belowReclaimThreshold: 203,
      belowCapThreshold: 254,
      modelledDeductions: {
        'DEFERRABLE_RECLAIM@03-31': { projects: 111, fen: 5_427_121_000 },
        'DEFERRABLE_RECLAIM@06-30': { projects: 22, fen: 5_308_645_043 },
        'PROGRESS_RECLAIM@09-30': { projects: 203, fen: 26_078_300_789 },
        'DEFERRABLE_RECLAIM@09-30': { projects: 9, fen: 187_856_991 },
        'DEFERRABLE_RECLAIM@12-31': { projects: 169, fen: 2_829_131_256 },
      },
    });
  });

  it('is deterministic: building it again gives the same data, byte for byte', () => {
    const again = buildDemo();
    expect(JSON.stringify(again.departments)).toBe(JSON.stringify(data.departments));
    expect(JSON.stringify(again.projects)).toBe(JSON.stringify(data.projects));
    expect(JSON.stringify(again.expenditures)).toBe(JSON.stringify(data.expenditures));
  });
});

describe('seeding the table', () => {
  let db: Db;

  beforeAll(async () => {
    await setupTable();
    db = { doc: documentClient(), table: process.env.TABLE_NAME as string };
  });

  async function count(input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>): Promise<number> {
    let n = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await db.doc.send(new QueryCommand({ ...input, TableName: db.table, Select: 'COUNT', ExclusiveStartKey }));
      n += out.Count ?? 0;
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return n;
  }

  it('writes every item, marks the seed done, and skips the second time', { timeout: 180_000 }, async () => {
    // This generator alone: the demo seed also runs others' generators (indicators, targets...).
    const first = await runSeed('demo-2020-test', db, { generators: [demo2020] });
    console.log(`demo seed: ${first.items} items in ${first.seconds.toFixed(1)} s`);
    expect(first.skipped).toBe(false);
    expect(first.summaries['demo-2020']).toEqual({ departments: 87, level1: 330, level2: 1700, expenditures: data.expenditures.length });
    expect(first.items).toBe(87 + 2030 + data.expenditures.length);

    expect(await count({ IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': keys.departmentsPartition() } })).toBe(
      87,
    );
    expect(await count({ IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :pk', ExpressionAttributeValues: { ':pk': keys.projectsPartition(2020) } })).toBe(
      2030,
    );
    let leaves = 0;
    for (let shard = 0; shard < LEAF_SHARDS; shard++) {
      leaves += await count({
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.leafPartition(2020, shard) },
      });
    }
    expect(leaves).toBe(1700);
    let expenditures = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await db.doc.send(
        new ScanCommand({
          TableName: db.table,
          Select: 'COUNT',
          FilterExpression: 'entity = :e',
          ExpressionAttributeValues: { ':e': 'Expenditure' },
          ExclusiveStartKey,
        }),
      );
      expenditures += out.Count ?? 0;
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    expect(expenditures).toBe(data.expenditures.length);

    const second = await runSeed('demo-2020-test', db, { generators: [demo2020] });
    expect(second).toMatchObject({ skipped: true, seededAt: first.seededAt, items: 0 });
    expect(SEEDS.none).toEqual([]);
    expect(SEEDS.demo?.[0]).toBe(demo2020);
    expect(seedMarkerKey('demo')).toEqual({ PK: 'LOCAL#SEED', SK: 'SEED#demo' });
  });

  it('is read back by the application: level-1 roll-ups, ledgers, and replays of the creating requests', async () => {
    for (const parent of [level1()[0], level1()[137], level1()[329]] as Project[]) {
      const children = level2().filter((c) => c.parentId === parent.projectId);
      const res = await call(performance, 'GET', `/v1/projects/${parent.projectId}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        leaf: false,
        budgetFen: children.reduce((s, c) => s + c.budgetFen, 0),
        spentFen: children.reduce((s, c) => s + c.spentFen, 0),
        children: children.map((c) => c.projectId),
      });
    }

    const leaf = level2().find((p) => data.expenditures.some((e) => e.projectId === p.projectId && e.kind === 'refund')) as Project;
    const ledger = await call(performance, 'GET', `/v1/projects/${leaf.projectId}/expenditures`);
    expect(ledger.status).toBe(200);
    const net = ledger.body.items.reduce((s: number, e: { kind: string; amountFen: number }) => s + (e.kind === 'payment' ? e.amountFen : -e.amountFen), 0);
    expect(net).toBe(leaf.spentFen);

    // The seeded items carry the request hashes of the requests that would have made them.
    const { projectId, year, deptId, level, parentId, name, category, domain, fundSource, budgetFen, deferrable, isNew } = leaf;
    const replay = await call(performance, 'POST', '/v1/projects', {
      projectId,
      year,
      deptId,
      level,
      parentId,
      name,
      category,
      domain,
      fundSource,
      budgetFen,
      deferrable,
      isNew,
    });
    expect(replay.status).toBe(200);
    const first = data.expenditures.find((e) => e.projectId === leaf.projectId) as (typeof data.expenditures)[number];
    const { expenditureId, date, amountFen, kind } = first;
    const again = await call(performance, 'POST', `/v1/projects/${leaf.projectId}/expenditures`, {
      expenditureId,
      date,
      amountFen,
      kind,
      ...(first.note ? { note: first.note } : {}),
    });
    expect(again.status).toBe(200);
    expect(again.body.project.spentFen).toBe(leaf.spentFen);
  });
});
