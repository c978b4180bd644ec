/**
 * Benchmark of the monitoring jobs on the demo set (87 departments, 1,700 leaf projects, with
 * the demo monitoring reports): `npx tsx bench/monitoring-snapshot.ts [--concurrency 16]
 * [--endpoint http://127.0.0.1:8000]`.
 *
 * Starts DynamoDB Local (in memory, on a free port) unless --endpoint is given, seeds the demo
 * set into a fresh table (SEED=demo's generators), then times through runJob: the 06-23
 * reminders, the 06-30 snapshot, its rerun, the 09-30 snapshot (with suspensions), counting
 * every DynamoDB request by command. Prints the lights, the emails queued and the figures.
 */
import { countingDocumentClient, option } from './support';
import { ensureTable, freePort, startDynamoLocal, type DynamoLocal } from '../local/services';
import { runSeed } from '../local/seed/index';
import type { AppDeps } from '../shared/app/context';
import { runJob } from '../shared/app/jobs/runner';
import { ulidIds } from '../shared/app/ports';
import { SYSTEM } from '../shared/domain/access';
import { depsFor } from '../functions/compose';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const CONCURRENCY = Number(option('concurrency') ?? 16);

async function main() {
  let local: DynamoLocal | undefined;
  let endpoint = option('endpoint');
  if (!endpoint) {
    local = await startDynamoLocal(await freePort());
    endpoint = local.endpoint;
  }
  try {
    const table = `bench-monitoring-${Date.now().toString(36)}`;
    await ensureTable(endpoint, table);
    const { doc, requests: byCommand } = countingDocumentClient(endpoint);
    const db = { doc, table };
    const t0 = performance.now();
    const seeded = await runSeed('demo', db, { force: true });
    console.log(`seeded the demo set in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(seeded.summaries.monitoring)}`);

    const deps: AppDeps = depsFor(db, { now: () => new Date() }, ulidIds);
    const timed = async (job: string, asOf: string) => {
      for (const k of Object.keys(byCommand)) delete byCommand[k];
      const start = performance.now();
      const run = await runJob(deps, { job, asOf, runId: ulidIds.next(), actor: SYSTEM, concurrency: CONCURRENCY });
      const seconds = (performance.now() - start) / 1000;
      const requests = Object.values(byCommand).reduce((a, b) => a + b, 0);
      const summary = run.summary as Record<string, number>;
      const projects = summary.projects ?? 0;
      console.log(
        `${job} ${asOf}: ${seconds.toFixed(2)} s, ${projects} projects, ${(projects / seconds).toFixed(0)} projects/s, ` +
          `${requests} requests (${(requests / Math.max(1, projects)).toFixed(2)} per project) ${JSON.stringify(byCommand)}`,
      );
      console.log(`  summary ${JSON.stringify(summary)}`);
    };
    await timed('reminders', '2020-06-23');
    await timed('monitoring-snapshot', '2020-06-30');
    await timed('monitoring-snapshot', '2020-06-30');
    await timed('monitoring-snapshot', '2020-09-30');
    doc.destroy();
  } finally {
    await local?.stop();
  }
}

await main();
