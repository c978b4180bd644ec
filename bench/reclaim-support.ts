/**
 * What the progress-reclaim benchmarks share (bench/progress-reclaim.ts, bench/fanout.ts): a
 * DocumentClient that counts and times every request by command, the deterministic year of
 * leaf projects, the BatchWriteItem seeding and the same-run floor of plain transactions.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS } from '../local/services';
import { auditPut } from '../shared/aws/audit';
import type { Db, TransactItem } from '../shared/aws/db';
import { deductionItem } from '../shared/aws/ledger';
import { outboxLinePut } from '../shared/aws/outbox';
import { projectItem } from '../shared/aws/projects-repo';
import type { Deduction } from '../shared/domain/ledger';
import type { Project } from '../shared/domain/project';

export interface Counter {
  byCommand: Record<string, number>;
  /** Summed latency per command, ms (per attempt). */
  msByCommand: Record<string, number>;
  total(): number;
  reset(): void;
}

export function countingDoc(endpoint: string): { doc: DynamoDBDocumentClient; counter: Counter } {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: LOCAL_CREDENTIALS, maxAttempts: 5 });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const counter: Counter = {
    byCommand: {},
    msByCommand: {},
    total() {
      return Object.values(this.byCommand).reduce((a, b) => a + b, 0);
    },
    reset() {
      this.byCommand = {};
      this.msByCommand = {};
    },
  };
  doc.middlewareStack.add(
    (next, context) => async (a) => {
      const command = (context as { commandName?: string }).commandName ?? 'unknown';
      const index = (a.input as { IndexName?: string }).IndexName;
      const name = index ? `${command}:${index}` : command;
      counter.byCommand[name] = (counter.byCommand[name] ?? 0) + 1;
      const t0 = performance.now();
      try {
        return await next(a);
      } finally {
        counter.msByCommand[name] = (counter.msByCommand[name] ?? 0) + performance.now() - t0;
      }
    },
    { step: 'deserialize', name: 'benchRequestCounter', priority: 'high' },
  );
  return { doc, counter };
}

/**
 * Deterministic figures: a share `lagging` (the demo-sized year's 0.85 by default) lags behind
 * 80% and so is deducted, the rest is on track; 87+ departments (one per 200 projects).
 */
export function makeProjects(n: number, year: number, lagging = 0.85): Project[] {
  return [...eachProject(n, year, lagging)];
}

/** The projects of makeProjects one at a time (a million do not need to be in memory at once). */
export function* eachProject(n: number, year: number, lagging = 0.85): Generator<Project> {
  const depts = Math.max(87, Math.ceil(n / 200));
  let seed = 12345;
  const rnd = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  for (let i = 0; i < n; i++) {
    const budgetFen = 100_000 + Math.floor(rnd() * 2_000_000_000);
    const spentBp = rnd() < lagging ? Math.floor(rnd() * 7999) : 8000 + Math.floor(rnd() * 2000);
    const spent = Math.floor((budgetFen * spentBp) / 10000);
    const a = Math.floor(spent * 0.4);
    const deptId = `B${String(i % depts).padStart(4, '0')}`;
    yield {
      projectId: `BP-${String(i).padStart(6, '0')}`,
      year,
      deptId,
      level: 2,
      parentId: `${deptId}-L1`,
      name: `基准测试项目${i}`,
      category: 'operations',
      domain: '教育',
      fundSource: 'general',
      budgetFen,
      originalBudgetFen: budgetFen,
      spentFen: spent,
      spentByDay: spent ? { [`${year}-03-31`]: a, [`${year}-06-30`]: spent - a } : {},
      deferrable: false,
      isNew: false,
      status: 'active',
      flags: [],
      childCount: 0,
      version: 1,
      createdAt: `${year}-01-01T00:00:00.000Z`,
      updatedAt: `${year}-01-01T00:00:00.000Z`,
      createdBy: 'bench',
      requestHash: 'bench',
    };
  }
}

/** Puts in BatchWriteItem requests of 25, `inFlight` at a time, unprocessed items sent again. */
export async function batchPut(db: Db, items: Record<string, unknown>[], inFlight = 8): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  const worker = async () => {
    for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
      let request: Record<string, unknown[]> | undefined = { [db.table]: chunk.map((Item) => ({ PutRequest: { Item } })) };
      while (request && Object.keys(request).length > 0) {
        const out = await db.doc.send(new BatchWriteCommand({ RequestItems: request as never }));
        request = out.UnprocessedItems as typeof request;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

/**
 * The floor: `count` transactions of FLOOR_ITEMS Puts each on fresh keys, `concurrency` at a
 * time, with nothing else (no reads, no computing, no conditions on existing state). `shaped`:
 * each Put is built by the same builders as the run's items (ledger entry and project; with 5,
 * also the pool counter, audit record, outbox line), so it carries the same index keys and
 * sizes; otherwise plain 400-byte items without index keys. Issue 14's floor is 2 items: the
 * least a deduction can be (the entry and the budget change), against the run's 5.
 */
export async function floor(
  db: Db,
  count: number,
  concurrency: number,
  tag: string,
  sample: Project,
  shaped: boolean,
  shape: { items: number; asOf: string; year: number } = { items: 2, asOf: `${sample.year}-09-30`, year: sample.year + 50 },
): Promise<number> {
  const { items: FLOOR_ITEMS, asOf: AS_OF, year: FLOOR_YEAR } = shape;
  let next = 0;
  const payload = 'x'.repeat(400);
  const items = (i: number): TransactItem[] => {
    if (!shaped) {
      return Array.from({ length: FLOOR_ITEMS }, (_, k) => ({
        Put: { TableName: db.table, Item: { PK: `FLOOR#${tag}#${i}#${k}`, SK: 'F', payload, n: i }, ConditionExpression: 'attribute_not_exists(PK)' },
      }));
    }
    const projectId = `FLOOR-${tag}-${i}`;
    // Another year: the same key shapes, but out of the partitions the run reads and writes.
    const p: Project = { ...sample, projectId, year: FLOOR_YEAR, budgetFen: sample.budgetFen - 1 };
    const d: Deduction = {
      deductionId: `PROGRESS_RECLAIM~project~${projectId}~${AS_OF}`,
      rule: 'PROGRESS_RECLAIM',
      year: FLOOR_YEAR,
      deptId: sample.deptId,
      target: { kind: 'project', projectId },
      projectId,
      asOf: AS_OF,
      amountFen: 1,
      budgetBeforeFen: sample.budgetFen,
      budgetAfterFen: sample.budgetFen - 1,
      figures: { budgetFen: 1, spentAsOfFen: 1, spentNowFen: 1, progressBp: 1, thresholdBp: 8000, ratioBp: 10000, lagFen: 1, formulaFen: 1 },
      status: 'applied',
      runId: 'floor',
      createdAt: new Date().toISOString(),
      createdBy: 'floor',
    };
    const put = (Item: Record<string, unknown>): TransactItem => ({ Put: { TableName: db.table, Item, ConditionExpression: 'attribute_not_exists(PK)' } });
    const audit = auditPut(db, `DED#${d.deductionId}`, {
      auditId: `floor-${tag}-${i}`,
      entityType: 'Deduction',
      entityId: d.deductionId,
      action: 'deduction.applied',
      actor: 'floor',
      at: d.createdAt,
      before: { budgetFen: 2 },
      after: { budgetFen: 1, amountFen: 1, rule: d.rule },
    });
    const line = outboxLinePut(db, `floor~${tag}`, sample.deptId, d.deductionId, {
      kind: 'deduction',
      deductionId: d.deductionId,
      rule: d.rule,
      subject: sample.name,
      subjectId: projectId,
      amountFen: 1,
      budgetBeforeFen: 2,
      budgetAfterFen: 1,
      spentFen: 1,
      progressBp: 1,
      thresholdBp: 8000,
      asOf: AS_OF,
      appealDeadline: AS_OF,
      notes: ['进度差额：0.01 元（收回比例 100.00%）'],
    });
    return [
      put(deductionItem(d)),
      put(projectItem(p)),
      put({ PK: `POOLFLOOR#${tag}#${i}`, SK: 'SHARD#00', entity: 'PoolShard', year: FLOOR_YEAR, inFen: 1, in_PROGRESS_RECLAIM: 1 }),
      audit,
      line,
    ].slice(0, FLOOR_ITEMS);
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        await db.doc.send(new TransactWriteCommand({ TransactItems: items(i) }));
      }
    }),
  );
  return performance.now() - started;
}
