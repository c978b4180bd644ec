/**
 * Benchmark of the `idle-funds-sweep` job over the demo data set (issue 5).
 *
 *   npx tsx bench/idle-funds-sweep.ts [--endpoint http://127.0.0.1:8000] [--concurrency 16]
 *
 * Starts DynamoDB Local (in memory, on a free port) unless --endpoint is given, and stops it at
 * the end. Loads the demo departments and projects (buildDemo: 87 departments, 2,030 projects
 * with their spending per day; the expenditure items themselves are not needed by the sweep)
 * and the demo idle-fund records (local/seed/idle-funds.ts), then runs the year as the replay
 * does: the four quarter-end sweeps in order, with progress-reclaim before the 09-30 sweep
 * when that job exists (the demo spending model applies it first). Each run is timed through
 * runJob and its DynamoDB requests counted; then the last sweep is run again (nothing new).
 * Finally the figures are checked against what the demo predicts: the records' reclaims by
 * the seed's own computation, the deferrable projects' by the spending model's events.
 */
import { batchWrite } from '../local/seed/index';
import { buildDemo, demoStats } from '../local/seed/demo-2020';
import { idleFundsSeed } from '../local/seed/idle-funds';
import { countingDocumentClient, option } from './support';
import { ensureTable, freePort, startDynamoLocal, type DynamoLocal } from '../local/services';
import type { AppDeps } from '../shared/app/context';
import { findJob } from '../shared/app/jobs/registry';
import { runJob } from '../shared/app/jobs/runner';
import { ulidIds } from '../shared/app/ports';
import { departmentsRepo } from '../shared/aws/departments-repo';
import { projectItem } from '../shared/aws/projects-repo';
import { poolTotals } from '../shared/aws/pool';
import { SYSTEM } from '../shared/domain/access';
import { depsFor } from '../functions/compose';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const CONCURRENCY = Number(option('concurrency') ?? 16);
const yuan = (fen: number) => `${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;

async function main() {
  let local: DynamoLocal | undefined;
  let endpoint = option('endpoint');
  if (!endpoint) {
    local = await startDynamoLocal(await freePort());
    endpoint = local.endpoint;
  }
  try {
    const { doc, requests } = countingDocumentClient(endpoint);
    const table = `bench-idle-${Date.now().toString(36)}`;
    await ensureTable(endpoint, table);
    const db = { doc, table };
    const deps: AppDeps = depsFor(db, { now: () => new Date() }, ulidIds);

    let t0 = performance.now();
    const data = buildDemo();
    const departments = departmentsRepo(db);
    await batchWrite(db, [...data.departments.map((d) => departments.item(d)), ...data.projects.map((p) => projectItem(p))]);
    const seeded = await idleFundsSeed.run({ db, write: (items) => batchWrite(db, items), log: () => undefined });
    console.log(
      `loaded ${data.departments.length} departments, ${data.projects.length} projects and the idle-fund records in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    console.log(`  records: ${seeded.carryovers} carryovers, ${seeded.payables} payables, ${seeded.accountBalances} account balances`);
    const stats = demoStats(data);
    console.log(`  deferrable leaf projects: ${stats.deferrable} of ${stats.leaves}`);

    const expectedRecords = seeded.expected2020 as Record<string, Record<string, { records: number; fen: number }>>;
    const modelled = stats.modelledDeductions as Record<string, { projects: number; fen: number }>;
    let mismatches = 0;
    console.log(`\nsweep (concurrency ${CONCURRENCY})   seconds  requests  deductions  reclaimed by rule`);
    for (const q of ['03-31', '06-30', '09-30', '12-31']) {
      const asOf = `2020-${q}`;
      if (q === '09-30' && findJob('progress-reclaim')) {
        await runJob(deps, { job: 'progress-reclaim', asOf, runId: ulidIds.next(), actor: SYSTEM, concurrency: CONCURRENCY });
      }
      for (const k of Object.keys(requests)) delete requests[k];
      t0 = performance.now();
      const run = await runJob(deps, { job: 'idle-funds-sweep', asOf, runId: ulidIds.next(), actor: SYSTEM, concurrency: CONCURRENCY });
      const seconds = (performance.now() - t0) / 1000;
      const s = run.summary as {
        deductions: number;
        byRule: Record<string, { deductions: number; amountFen: number }>;
        read: Record<string, number>;
        retries: number;
      };
      const total = Object.values(requests).reduce((a, b) => a + b, 0);
      const rules = Object.entries(s.byRule)
        .map(([r, v]) => `${r} ${v.deductions}/${yuan(v.amountFen)}`)
        .join(', ');
      console.log(`  ${asOf}                ${seconds.toFixed(1).padStart(6)}  ${String(total).padStart(8)}  ${String(s.deductions).padStart(10)}  ${rules}`);
      console.log(`    read: ${JSON.stringify(s.read)}  retries: ${s.retries}  requests: ${JSON.stringify(requests)}`);
      for (const [rule, want] of Object.entries(expectedRecords[asOf] ?? {})) {
        const got = s.byRule[rule];
        if (got?.deductions !== want.records || got?.amountFen !== want.fen) {
          mismatches++;
          console.log(`    MISMATCH ${rule}: expected ${want.records}/${want.fen} fen, got ${got?.deductions}/${got?.amountFen}`);
        }
      }
      const model = modelled[`DEFERRABLE_RECLAIM@${q}`] ?? { projects: 0, fen: 0 };
      const got = s.byRule.DEFERRABLE_RECLAIM ?? { deductions: 0, amountFen: 0 };
      console.log(`    deferrable: modelled ${model.projects}/${yuan(model.fen)}, swept ${got.deductions}/${yuan(got.amountFen)}`);
      if (model.projects !== got.deductions || model.fen !== got.amountFen) mismatches++;
    }
    for (const k of Object.keys(requests)) delete requests[k];
    t0 = performance.now();
    const again = await runJob(deps, { job: 'idle-funds-sweep', asOf: '2020-12-31', runId: ulidIds.next(), actor: SYSTEM, concurrency: CONCURRENCY });
    console.log(
      `  rerun 2020-12-31       ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)}  ${String(Object.values(requests).reduce((a, b) => a + b, 0)).padStart(8)}  ${String((again.summary as { deductions: number }).deductions).padStart(10)}  emails ${(again.summary as { emails: number }).emails}`,
    );
    const pool = await poolTotals(db, 2020);
    console.log(`\npool 2020: in ${yuan(pool.inFen)}, balance ${yuan(pool.balanceFen)}; by rule ${JSON.stringify(pool.byRule)}`);
    console.log(mismatches === 0 ? 'every figure as the demo predicts' : `${mismatches} figure(s) differ from the demo's prediction`);
    doc.destroy();
    return mismatches === 0 ? 0 : 1;
  } finally {
    await local?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error((error as Error)?.stack ?? String(error));
    process.exit(1);
  },
);
