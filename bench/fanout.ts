/**
 * Benchmark of `progress-reclaim` through the fan-out (issue 14 part 3): in ONE run, the
 * demo-sized year (2,000 leaf projects), 100,000 and 1,000,000, each with its same-run floor.
 *
 *   npx tsx bench/fanout.ts                                   # 2,000, 100,000 and 1,000,000
 *   npx tsx bench/fanout.ts 2000 100000 --workers 16 --concurrency 4
 *   npx tsx bench/fanout.ts --lagging 0.85 --lagging-large 0.1 # the deducted share; for N >= 1,000,000
 *   npx tsx bench/fanout.ts 10000:0.85 10000:0.05              # a size with its own deducted share
 *   npx tsx bench/fanout.ts --table-from a.log b.log          # the table of the results these logs printed
 *
 * Starts ONE DynamoDB Local (in memory unless `--data-dir`, on a free port, with `--heap` of Java heap through
 * JAVA_TOOL_OPTIONS) and stops it by its pid at the end. For each N: a fresh table; N leaf
 * projects put straight in with BatchWriteItem (`--seed-concurrency` requests in flight), a
 * share `--lagging` of them behind 80% and so deducted (the demo-sized year's 0.85 unless
 * told); then `startFannedRun` and the local queue emulation (local/queue-emulator.ts) with
 * `--workers` workers running the real shard handler (functions/jobs/shards.ts), each with the
 * job's `--concurrency`, segments of `--segment` projects. Every DynamoDB request is counted by
 * command. The floor, in the same run, as bench/progress-reclaim.ts: one TransactWriteItems of
 * two items (entry and project, the same builders, fresh keys) per deduction, at the same
 * number in flight (workers × concurrency), half just before the run and half just after.
 * Prints projects/s, requests per project by command, the share of the floor, the time of
 * each phase (seed, run, floor), segment times and the load average.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { SQSEvent } from 'aws-lambda';
import { createQueueEmulator } from '../local/queue-emulator';
import { type DynamoLocal, ensureTable, freePort, startDynamoLocal } from '../local/services';
import { depsFor } from '../functions/compose';
import type { AppDeps } from '../shared/app/context';
import { SEGMENT, type ShardMessage, startFannedRun } from '../shared/app/jobs/fanout';
import { ulidIds } from '../shared/app/ports';
import type { Db } from '../shared/aws/db';
import { departmentsRepo } from '../shared/aws/departments-repo';
import { projectItem } from '../shared/aws/projects-repo';
import { SYSTEM } from '../shared/domain/access';
import { DEFAULT_POLICY } from '../shared/domain/policy';
import { type Project, spentAsOf } from '../shared/domain/project';
import { progressReclaim } from '../shared/domain/rules/progress-reclaim';
import { batchPut, countingDoc, eachProject, floor } from './reclaim-support';
import { option } from './support';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const args = process.argv.slice(2);
const NAMED = ['table-from', 'workers', 'concurrency', 'segment', 'lagging', 'lagging-large', 'heap', 'seed-concurrency', 'warmup', 'year', 'data-dir'];
const optionValues = new Set(NAMED.map((n) => option(n)));
const sizes = args.filter((a) => /^\d+(:[\d.]+)?$/.test(a) && !optionValues.has(a));
const NS = sizes.length > 0 ? sizes.map((a) => Number(a.split(':')[0])) : [2_000, 100_000, 1_000_000];
/** A share given with its size (`100000:0.5`). */
const GIVEN = new Map(sizes.flatMap((a, i) => (a.includes(':') ? [[i, Number(a.split(':')[1])] as const] : [])));
const WORKERS = Number(option('workers') ?? 16);
const CONCURRENCY = Number(option('concurrency') ?? 4);
const SEGMENT_SIZE = Number(option('segment') ?? SEGMENT);
const LAGGING = Number(option('lagging') ?? 0.85);
const LAGGING_LARGE = Number(option('lagging-large') ?? LAGGING);
const HEAP = option('heap') ?? '6g';
/** DynamoDB Local on disk in this directory instead of in memory (a million projects in memory need ~9 GB of RAM). */
const DATA_DIR = option('data-dir');
const SEED_CONCURRENCY = Number(option('seed-concurrency') ?? 8);
const WARMUP = Number(option('warmup') ?? 1000);
const YEAR = Number(option('year') ?? 2020);
const AS_OF = `${YEAR}-09-30`;
const IN_FLIGHT = WORKERS * CONCURRENCY;
const laggingFor = (n: number, index = -1) => GIVEN.get(index) ?? (n >= 1_000_000 ? LAGGING_LARGE : LAGGING);

const t0 = performance.now();
const progress = (what: string) => console.log(`  ${new Date().toISOString().slice(11, 19)} +${seconds(performance.now() - t0)} s: ${what} (load ${load1()})`);
const load1 = () => +os.loadavg()[0]!.toFixed(1);
const seconds = (ms: number) => +(ms / 1000).toFixed(1);

/** Seeds the year in chunks (a million projects are never in memory at once); returns how many the rule will deduct and the first project. */
async function seed(db: Db, n: number, lagging: number): Promise<{ expected: number; sample: Project; departments: number }> {
  const departments = Math.max(87, Math.ceil(n / 200));
  await batchPut(
    db,
    Array.from({ length: departments }, (_, i) =>
      departmentsRepo(db).item({
        deptId: `B${String(i).padStart(4, '0')}`,
        name: `部门B${i}`,
        contactEmails: [`b${i}@bench.test`],
        version: 1,
        createdAt: '',
        updatedAt: '',
      }),
    ),
    SEED_CONCURRENCY,
  );
  let expected = 0;
  let sample: Project | undefined;
  let chunk: Record<string, unknown>[] = [];
  for (const p of eachProject(n, YEAR, lagging)) {
    sample ??= p;
    const r = progressReclaim(
      { budgetFen: p.budgetFen, spentAsOfFen: spentAsOf(p.spentByDay, AS_OF), spentNowFen: p.spentFen, fundSource: p.fundSource, exempted: false },
      DEFAULT_POLICY.progressReclaim,
    );
    if (r.amountFen > 0) expected++;
    chunk.push(projectItem(p));
    if (chunk.length >= 20_000) {
      await batchPut(db, chunk, SEED_CONCURRENCY);
      chunk = [];
      if (n >= 100_000 && (Number(p.projectId.slice(3)) + 1) % 100_000 === 0) progress(`seeded ${Number(p.projectId.slice(3)) + 1} of ${n}`);
    }
  }
  await batchPut(db, chunk, SEED_CONCURRENCY);
  return { expected, sample: sample as Project, departments };
}

async function benchOne(endpoint: string, n: number, index = -1) {
  const lagging = laggingFor(n, index);
  const table = `bench-fanout-${n}-${Date.now().toString(36)}`;
  await ensureTable(endpoint, table, { stream: false });
  const { doc, counter } = countingDoc(endpoint);
  const db: Db = { doc, table };
  const load: Record<string, number> = { before: load1() };

  const seedStart = performance.now();
  const { expected, sample, departments } = await seed(db, n, lagging);
  const seedMs = performance.now() - seedStart;
  load.seeded = load1();

  // The floor in two halves around the run (a change of the machine's load weighs on both alike).
  const firstHalf = Math.floor(expected / 2);
  counter.reset();
  const floorA = await floor(db, firstHalf, IN_FLIGHT, `${n}a`, sample, true);

  counter.reset();
  let started = performance.now();
  const deps: AppDeps = depsFor(db, { now: () => new Date(`${YEAR}-10-01T01:20:00Z`) }, ulidIds);
  const { makeFailedHandler, makeHandler } = await import('../functions/jobs/shards');
  const segmentMs: number[] = [];
  let failure: string | undefined;
  let peakLoad = 0;
  let ticks = 0;
  const sampler = setInterval(() => {
    peakLoad = Math.max(peakLoad, load1());
    // A partial rate for a run that may not end in time: segments done × their size (the last of each shard is shorter).
    if (n >= 100_000 && ++ticks % 12 === 0) {
      const s = (performance.now() - started) / 1000;
      progress(`run: ${segmentMs.length} segments done, ≈ ${Math.round((segmentMs.length * SEGMENT_SIZE) / s)} projects/s so far`);
    }
  }, 5000);
  const queue = { send: async (messages: ShardMessage[]) => q.send(messages) };
  const handler = makeHandler(deps, { concurrency: CONCURRENCY, queue });
  const q = createQueueEmulator({
    handler: async (event: SQSEvent) => {
      const t0 = performance.now();
      try {
        const out = await handler(event);
        // A bench stops at the first failed segment (its redelivery would wait for the visibility timeout).
        if (out.batchItemFailures.length > 0) {
          failure = `a segment failed: ${event.Records[0]?.body}`;
          q.stop();
        }
        return out;
      } finally {
        segmentMs.push(performance.now() - t0);
      }
    },
    deadLetter: makeFailedHandler(deps),
    workers: WORKERS,
    // No redelivery in a bench: far above any segment's time.
    visibilityTimeoutMs: 3 * 3600_000,
    maxReceiveCount: 3,
  });
  const runId = `bench-fanout-${n}`;
  started = performance.now();
  await startFannedRun(deps, queue, { job: 'progress-reclaim', asOf: AS_OF, runId, actor: SYSTEM, segmentSize: SEGMENT_SIZE });
  await q.drain();
  const runMs = performance.now() - started;
  clearInterval(sampler);
  if (failure) throw new Error(failure);
  load.run = load1();
  load.peakDuringRun = Math.max(peakLoad, load.run);
  const run = await deps.repos.jobRuns.get(runId);
  if (run?.status !== 'succeeded') throw new Error(`run ${run?.status}: ${run?.error ?? ''}`);
  const summary = run.summary as Record<string, number>;
  if (summary.alreadyApplied !== 0) throw new Error('the run met entries it did not make: the table is not fresh');
  if (summary.projects !== n) throw new Error(`the run saw ${summary.projects} projects of ${n}`);
  if (summary.deductions !== expected) throw new Error(`the run made ${summary.deductions} deductions, the data has ${expected}`);
  const requests = { ...counter.byCommand };
  const total = counter.total();
  const secondsByCommand = Object.fromEntries(Object.entries(counter.msByCommand).map(([k, ms]) => [k, seconds(ms)]));

  counter.reset();
  const floorB = await floor(db, Math.max(0, summary.deductions - firstHalf), IN_FLIGHT, `${n}b`, sample, true);
  load.after = load1();
  const floorMs = floorA + floorB;
  const sorted = [...segmentMs].sort((x, y) => x - y);
  doc.destroy();
  return {
    n,
    lagging,
    departments,
    workers: WORKERS,
    concurrency: CONCURRENCY,
    inFlight: IN_FLIGHT,
    segment: SEGMENT_SIZE,
    segments: summary.segments,
    shards: summary.shards,
    deductions: summary.deductions,
    amountFen: summary.amountFen,
    emails: summary.emails,
    seedSeconds: seconds(seedMs),
    runSeconds: seconds(runMs),
    floorSeconds: seconds(floorMs),
    floorHalvesSeconds: [seconds(floorA), seconds(floorB)],
    projectsPerSecond: Math.round(n / (runMs / 1000)),
    floorProjectsPerSecond: Math.round(n / (floorMs / 1000)),
    ratioToFloor: +(floorMs / runMs).toFixed(3),
    requests: total,
    requestsPerProject: +(total / n).toFixed(3),
    requestsPerProjectByCommand: Object.fromEntries(Object.entries(requests).map(([k, c]) => [k, +(c / n).toFixed(4)])),
    byCommand: requests,
    /** Summed latency per command during the run, overlapping (the in-flight requests add up). */
    secondsByCommand,
    /** One message (one segment of one shard, the last one also sums its shard; the very last seals the emails). */
    segmentSeconds: {
      median: seconds(sorted[Math.floor(sorted.length / 2)] ?? 0),
      p95: seconds(sorted[Math.floor(sorted.length * 0.95)] ?? 0),
      max: seconds(sorted[sorted.length - 1] ?? 0),
    },
    load,
  };
}

type Result = Awaited<ReturnType<typeof benchOne>>;

function table(results: Result[]): string {
  const rows = [
    '| N | deducted share | deductions | workers × in flight | segments | projects/s | requests/project | by command (per project) | floor projects/s | share of floor | seed s | run s | floor s | segment s (median / max) | load (before / peak run / after) |',
    '|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const by = Object.entries(r.requestsPerProjectByCommand)
      .sort(([, a], [, b]) => b - a)
      .map(([k, v]) => `${k.replace('Command', '')} ${v}`)
      .join(', ');
    rows.push(
      `| ${r.n.toLocaleString('en')} | ${r.lagging} | ${r.deductions.toLocaleString('en')} | ${r.workers} × ${r.concurrency} | ${r.segments} | ${r.projectsPerSecond} | ${r.requestsPerProject} | ${by} | ${r.floorProjectsPerSecond} | ${r.ratioToFloor} | ${r.seedSeconds} | ${r.runSeconds} | ${r.floorSeconds} | ${r.segmentSeconds.median} / ${r.segmentSeconds.max} | ${r.load.before} / ${r.load.peakDuringRun} / ${r.load.after} |`,
    );
  }
  return rows.join('\n');
}

async function main() {
  const from = option('table-from');
  if (from) {
    // The results (one JSON line per size) of runs that printed them, e.g. a run whose later size did not end.
    const logs = [from, ...args.slice(args.indexOf(from) + 1).filter((a) => !a.startsWith('--'))];
    const lines = logs.flatMap((f) => readFileSync(f, 'utf8').split('\n')).filter((l) => l.startsWith('{"n":'));
    console.log(table(lines.map((l) => JSON.parse(l) as Result)));
    return;
  }
  // The heap of DynamoDB Local (the npm package's spawn takes no JVM options; every JVM reads this).
  process.env.JAVA_TOOL_OPTIONS = `${process.env.JAVA_TOOL_OPTIONS ?? ''} -Xmx${HEAP}`.trim();
  const local: DynamoLocal = await startDynamoLocal(await freePort(), DATA_DIR);
  const pid = local.process.pid;
  // The shard handler's module reads its environment when imported: point it at this DynamoDB Local.
  process.env.TABLE_NAME ??= 'bench-fanout-unused';
  process.env.AWS_REGION ??= 'local';
  process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  console.log(
    `DynamoDB Local pid ${pid} at ${local.endpoint} (${DATA_DIR ? `on disk in ${DATA_DIR}` : 'in memory'}, -Xmx${HEAP}); ${os.cpus().length} cores; sizes ${NS.join(', ')}; workers ${WORKERS} × concurrency ${CONCURRENCY}; segment ${SEGMENT_SIZE}; lagging ${LAGGING}${LAGGING_LARGE !== LAGGING ? ` (${LAGGING_LARGE} at 1,000,000 and above)` : ''}`,
  );
  try {
    // A cold JVM is several times slower for its first thousands of requests.
    if (WARMUP > 0) {
      const warm = await benchOne(local.endpoint, WARMUP);
      console.log(`warm-up (not a result): ${JSON.stringify({ n: warm.n, runSeconds: warm.runSeconds, floorSeconds: warm.floorSeconds })}`);
    }
    const results: Result[] = [];
    for (const [i, n] of NS.entries()) {
      const r = await benchOne(local.endpoint, n, i);
      results.push(r);
      console.log(JSON.stringify(r));
      console.log(`${new Date().toISOString()} N=${n} done, ${seconds(performance.now() - t0)} s since start`);
    }
    console.log(`\n${table(results)}\n`);
    console.log(`whole bench ${seconds(performance.now() - t0)} s`);
  } finally {
    await local.stop();
    console.log(`DynamoDB Local pid ${pid} stopped`);
  }
}

await main();
