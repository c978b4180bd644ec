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
import { freePort, startDynamoLocal, ensureTable, type DynamoLocal } from '../local/services';
import type { AppDeps } from '../shared/app/context';
import { runJob } from '../shared/app/jobs/runner';
import { ulidIds } from '../shared/app/ports';
import type { Db } from '../shared/aws/db';
import { departmentsRepo } from '../shared/aws/departments-repo';
import { projectItem } from '../shared/aws/projects-repo';
import { SYSTEM } from '../shared/domain/access';
import { DEFAULT_POLICY } from '../shared/domain/policy';
import { type Project, spentAsOf } from '../shared/domain/project';
import { progressReclaim } from '../shared/domain/rules/progress-reclaim';
import { depsFor } from '../functions/compose';
import { batchPut, countingDoc, floor as floorOf, makeProjects } from './reclaim-support';
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
const floor = (db: Db, count: number, concurrency: number, tag: string, sample: Project, shaped: boolean) =>
  floorOf(db, count, concurrency, tag, sample, shaped, { items: FLOOR_ITEMS, asOf: AS_OF, year: FLOOR_YEAR });

async function benchOne(endpoint: string, n: number) {
  const table = `bench-reclaim-${n}-${Date.now().toString(36)}`;
  await ensureTable(endpoint, table);
  const { doc, counter } = countingDoc(endpoint);
  const db: Db = { doc, table };
  const projects = makeProjects(n, YEAR);
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
