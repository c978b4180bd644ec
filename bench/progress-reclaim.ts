/**
 * Benchmark of the `progress-reclaim` job (issue 3 item 7).
 *
 *   npx tsx bench/progress-reclaim.ts                 # N = 2,000 and 20,000
 *   npx tsx bench/progress-reclaim.ts --large         # N = 2,000, 20,000 and 100,000
 *   npx tsx bench/progress-reclaim.ts 5000 --concurrency 32 --endpoint http://127.0.0.1:8000
 *
 * Starts DynamoDB Local (in memory, on a free port) unless --endpoint is given, and stops it by
 * its pid at the end. For each N: a fresh table; N leaf projects put straight in with
 * BatchWriteItem (most lagging behind 80%, so most need a deduction); the job timed through
 * runJob; every DynamoDB request counted by command (a middleware at the deserialize step,
 * which runs once per HTTP attempt, retries included). Then the floor, in the same run: the
 * same number of TransactWriteItems with the same number of items each, at the same
 * concurrency, against fresh keys, with nothing else. Prints projects/s, requests per project,
 * and the run's throughput as a share of the floor's.
 */
import os from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { freePort, LOCAL_CREDENTIALS, startDynamoLocal, ensureTable, type DynamoLocal } from '../local/services';
import type { AppDeps } from '../shared/app/context';
import { runJob } from '../shared/app/jobs/runner';
import { ulidIds } from '../shared/app/ports';
import { auditPut } from '../shared/aws/audit';
import type { Db, TransactItem } from '../shared/aws/db';
import { deductionItem } from '../shared/aws/ledger';
import { outboxLinePut } from '../shared/aws/outbox';
import { departmentsRepo } from '../shared/aws/departments-repo';
import { projectItem } from '../shared/aws/projects-repo';
import { SYSTEM } from '../shared/domain/access';
import type { Deduction } from '../shared/domain/ledger';
import { DEFAULT_POLICY } from '../shared/domain/policy';
import { type Project, spentAsOf } from '../shared/domain/project';
import { progressReclaim } from '../shared/domain/rules/progress-reclaim';
import { depsFor } from '../functions/compose';
import { option } from './support';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const optionValues = new Set([option('endpoint'), option('concurrency'), option('year'), option('warmup'), option('floor-items')]);
const sizes = args.filter((a) => /^\d+$/.test(a) && !optionValues.has(a)).map(Number);
const NS = sizes.length > 0 ? sizes : flag('large') ? [2_000, 20_000, 100_000] : [2_000, 20_000];
const CONCURRENCY = Number(option('concurrency') ?? 16);
/** Also time a floor of plain items without index keys (--plain-floor). */
const PLAIN_FLOOR = flag('plain-floor');
const WARMUP = Number(option('warmup') ?? 1000);
/** Items per floor transaction: 2 (the ledger entry and the budget change, issue 14) or 5 (every item of the run's). */
const FLOOR_ITEMS = Number(option('floor-items') ?? 2);
const YEAR = Number(option('year') ?? 2020);
const AS_OF = `${YEAR}-09-30`;
const FLOOR_YEAR = YEAR + 50;

interface Counter {
  byCommand: Record<string, number>;
  /** Summed latency per command, ms (per attempt). */
  msByCommand: Record<string, number>;
  total(): number;
  reset(): void;
}

function countingDoc(endpoint: string): { doc: DynamoDBDocumentClient; counter: Counter } {
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

/** Deterministic figures: ~85% lag behind 80%, the rest are on track; 87+ departments. */
function makeProjects(n: number): Project[] {
  const depts = Math.max(87, Math.ceil(n / 200));
  const out: Project[] = [];
  let seed = 12345;
  const rnd = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  for (let i = 0; i < n; i++) {
    const budgetFen = 100_000 + Math.floor(rnd() * 2_000_000_000);
    const spentBp = rnd() < 0.85 ? Math.floor(rnd() * 7999) : 8000 + Math.floor(rnd() * 2000);
    const spent = Math.floor((budgetFen * spentBp) / 10000);
    const a = Math.floor(spent * 0.4);
    const deptId = `B${String(i % depts).padStart(4, '0')}`;
    out.push({
      projectId: `BP-${String(i).padStart(6, '0')}`,
      year: YEAR,
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
      spentByDay: spent ? { [`${YEAR}-03-31`]: a, [`${YEAR}-06-30`]: spent - a } : {},
      deferrable: false,
      isNew: false,
      status: 'active',
      flags: [],
      childCount: 0,
      version: 1,
      createdAt: `${YEAR}-01-01T00:00:00.000Z`,
      updatedAt: `${YEAR}-01-01T00:00:00.000Z`,
      createdBy: 'bench',
      requestHash: 'bench',
    });
  }
  return out;
}

async function batchPut(db: Db, items: Record<string, unknown>[], inFlight = 8): Promise<void> {
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
async function floor(db: Db, count: number, concurrency: number, tag: string, sample: Project, shaped: boolean): Promise<number> {
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

async function benchOne(endpoint: string, n: number) {
  const table = `bench-reclaim-${n}-${Date.now().toString(36)}`;
  await ensureTable(endpoint, table);
  const { doc, counter } = countingDoc(endpoint);
  const db: Db = { doc, table };
  const projects = makeProjects(n);
  const seedStart = performance.now();
  const depts = [...new Set(projects.map((p) => p.deptId))];
  await batchPut(
    db,
    depts.map((deptId) =>
      departmentsRepo(db).item({
        deptId,
        name: `部门${deptId}`,
        contactEmails: [`${deptId.toLowerCase()}@bench.test`],
        version: 1,
        createdAt: '',
        updatedAt: '',
      }),
    ),
  );
  await batchPut(
    db,
    projects.map((p) => projectItem(p)),
  );
  const seedMs = performance.now() - seedStart;

  // The floor is timed in two halves, one just before the run and one just after, so that a
  // change in the machine's load during a long run weighs on both sides alike. The first half
  // is half the transactions the rule will need (computed from the data, as the job will).
  const expected = projects.filter(
    (p) =>
      progressReclaim(
        { budgetFen: p.budgetFen, spentAsOfFen: spentAsOf(p.spentByDay, AS_OF), spentNowFen: p.spentFen, fundSource: p.fundSource, exempted: false },
        DEFAULT_POLICY.progressReclaim,
      ).amountFen > 0,
  ).length;
  const firstHalf = Math.floor(expected / 2);
  const load: Record<string, number> = { before: +os.loadavg()[0]!.toFixed(1) };
  counter.reset();
  const cpuA = process.cpuUsage();
  const floorA = await floor(db, firstHalf, CONCURRENCY, `${n}a`, projects[0] as Project, true);
  const floorTxA = { n: counter.byCommand.TransactWriteItemsCommand ?? 0, ms: counter.msByCommand.TransactWriteItemsCommand ?? 0 };
  const cpuFloorA = process.cpuUsage(cpuA);

  counter.reset();
  const deps: AppDeps = depsFor(db, { now: () => new Date(`${YEAR}-10-01T01:20:00Z`) }, ulidIds);
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const run = await runJob(deps, { job: 'progress-reclaim', asOf: AS_OF, runId: `bench-${n}`, actor: SYSTEM, concurrency: CONCURRENCY });
  const runMs = performance.now() - started;
  const runCpu = process.cpuUsage(cpu0);
  load.run = +os.loadavg()[0]!.toFixed(1);
  if (run.status !== 'succeeded') throw new Error(`run ${run.status}: ${run.error ?? ''}`);
  if ((run.summary as Record<string, number>).alreadyApplied !== 0) throw new Error('the run met entries it did not make: the table is not fresh');
  const requests = { ...counter.byCommand };
  // Time per phase: the summed latency of each kind of request (overlapping, at the run's concurrency).
  const msPerRequest = Object.fromEntries(Object.entries(counter.msByCommand).map(([k, ms]) => [k, +(ms / (requests[k] ?? 1)).toFixed(1)]));
  const secondsByCommand = Object.fromEntries(Object.entries(counter.msByCommand).map(([k, ms]) => [k, +(ms / 1000).toFixed(2)]));
  const total = counter.total();
  const transactions = requests.TransactWriteItemsCommand ?? 0;
  const summary = run.summary as Record<string, number>;
  const deductions = summary.deductions ?? 0;
  const runTxMs = (counter.msByCommand.TransactWriteItemsCommand ?? 0) / Math.max(1, transactions);

  counter.reset();
  const cpuB = process.cpuUsage();
  // One floor transaction per deduction (the run may write several in one).
  const floorB = await floor(db, Math.max(0, deductions - firstHalf), CONCURRENCY, `${n}b`, projects[0] as Project, true);
  const floorCpuB = process.cpuUsage(cpuB);
  load.after = +os.loadavg()[0]!.toFixed(1);
  const floorMs = floorA + floorB;
  const floorCpu = { user: cpuFloorA.user + floorCpuB.user, system: cpuFloorA.system + floorCpuB.system };
  const floorTxMs =
    (floorTxA.ms + (counter.msByCommand.TransactWriteItemsCommand ?? 0)) / Math.max(1, floorTxA.n + (counter.byCommand.TransactWriteItemsCommand ?? 0));
  const plainMs = PLAIN_FLOOR ? await floor(db, deductions, CONCURRENCY, `${n}p`, projects[0] as Project, false) : undefined;
  const result = {
    n,
    concurrency: CONCURRENCY,
    departments: depts.length,
    seedSeconds: +(seedMs / 1000).toFixed(1),
    runSeconds: +(runMs / 1000).toFixed(2),
    projectsPerSecond: Math.round(n / (runMs / 1000)),
    deductions: summary.deductions,
    amountFen: summary.amountFen,
    emails: summary.emails,
    pages: summary.pages,
    requests: total,
    requestsPerProject: +(total / n).toFixed(3),
    byCommand: requests,
    secondsByCommand,
    msPerRequest,
    floorItems: FLOOR_ITEMS,
    transactions,
    deductionsPerTransaction: +(deductions / Math.max(1, transactions)).toFixed(1),
    floorTransactions: deductions,
    floorSeconds: +(floorMs / 1000).toFixed(2),
    floorHalvesSeconds: [+(floorA / 1000).toFixed(2), +(floorB / 1000).toFixed(2)],
    /** 1-minute load average of the machine before, at the end of the run, after the floor. */
    load,
    floorProjectsPerSecond: Math.round(n / (floorMs / 1000)),
    ratioToFloor: +(floorMs / runMs).toFixed(3),
    runTransactionMs: +runTxMs.toFixed(1),
    floorTransactionMs: +floorTxMs.toFixed(1),
    /** CPU seconds this process (not DynamoDB Local) used during the run and the floor. */
    runCpuSeconds: +((runCpu.user + runCpu.system) / 1e6).toFixed(2),
    floorCpuSeconds: +((floorCpu.user + floorCpu.system) / 1e6).toFixed(2),
    ...(plainMs !== undefined ? { plainFloorSeconds: +(plainMs / 1000).toFixed(2), ratioToPlainFloor: +(plainMs / runMs).toFixed(3) } : {}),
  };
  doc.destroy();
  return result;
}

async function main() {
  let local: DynamoLocal | undefined;
  let endpoint = option('endpoint');
  if (!endpoint) {
    local = await startDynamoLocal(await freePort());
    endpoint = local.endpoint;
    console.log(`DynamoDB Local pid ${local.process.pid} at ${endpoint} (in memory)`);
  }
  try {
    // A cold JVM is several times slower for its first thousands of requests: warm it up with a
    // small run of the job and its floor on a table of their own, so that every code path the
    // measured runs take is compiled before either side is timed.
    const warm = await benchOne(endpoint, WARMUP);
    console.log(`warm-up (not a result): ${JSON.stringify({ n: warm.n, runSeconds: warm.runSeconds, floorSeconds: warm.floorSeconds })}`);
    const results = [];
    for (const n of NS) {
      const r = await benchOne(endpoint, n);
      results.push(r);
      console.log(JSON.stringify(r));
    }
    console.log('\n| N | projects/s | requests/project | floor projects/s | ratio to floor | plain-floor ratio | deductions | run s | floor s |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      console.log(
        `| ${r.n.toLocaleString('en')} | ${r.projectsPerSecond} | ${r.requestsPerProject} | ${r.floorProjectsPerSecond} | ${r.ratioToFloor} | ${r.ratioToPlainFloor ?? '–'} | ${(r.deductions ?? 0).toLocaleString('en')} | ${r.runSeconds} | ${r.floorSeconds} |`,
      );
    }
  } finally {
    if (local) {
      const pid = local.process.pid;
      await local.stop();
      console.log(`DynamoDB Local pid ${pid} stopped`);
    }
  }
}

await main();
