/**
 * Benchmark of the annual report and what-if (SPEC §3.11) on the demo year, and of the what-if
 * core at 100,000 projects: `npx tsx bench/report.ts [--projects 100000] [--endpoint URL]`.
 *
 * Starts DynamoDB Local (in memory) unless --endpoint is given, seeds the demo (SEED=demo's
 * generators), runs the year's jobs in calendar order in process (as `npm run replay` does,
 * with two pool allocations after the first sweep), then times: the annual report as JSON,
 * XLSX and HTML; a what-if with no override (it must reproduce the ledger) and one with half
 * the reclaim ratio. Then the pure core alone on a synthetic year of N leaf projects. Prints
 * wall and CPU time of each, with the load average. `--screenshot` also renders the demo
 * year's page in Debian's Chromium to docs/report/annual-demo.png (the README's picture).
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { countingDocumentClient, option } from './support';
import { ensureTable, freePort, startDynamoLocal, type DynamoLocal } from '../local/services';
import { replayCalendar } from '../local/replay';
import { renderReportPage, SHOTS } from '../local/report-page';
import { runSeed } from '../local/seed/index';
import type { AppDeps } from '../shared/app/context';
import { runJob } from '../shared/app/jobs/runner';
import { yearPolicy } from '../shared/app/policies';
import { allocate } from '../shared/app/pool/allocate';
import { ulidIds } from '../shared/app/ports';
import { getAnnualReport } from '../shared/app/reports/annual';
import { loadScenarioData, runScenario } from '../shared/app/reports/scenario';
import { annualReportXlsx } from '../shared/app/reports/xlsx';
import { SYSTEM } from '../shared/domain/access';
import { DEFAULT_POLICY, mergePolicy, type Policy } from '../shared/domain/policy';
import { annualReportHtml } from '../shared/domain/report/html';
import { compareScenario } from '../shared/domain/report/compare';
import { type ScenarioData, type SimProject, SIM_JOBS, simulateYear } from '../shared/domain/report/scenario';
import { depsFor } from '../functions/compose';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

const args = process.argv.slice(2);
const PROJECTS = Number(option('projects') ?? 100_000);
const HALF: Policy = mergePolicy(DEFAULT_POLICY, { progressReclaim: { ratioBp: 5000 } });

async function timed<T>(label: string, fn: () => Promise<T> | T): Promise<T> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const out = await fn();
  const used = process.cpuUsage(cpu);
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  console.log(
    `${label.padEnd(44)} wall ${((performance.now() - start) / 1000).toFixed(2)} s  cpu ${((used.user + used.system) / 1e6).toFixed(2)} s  load ${load}`,
  );
  return out;
}

async function demoYear(endpoint: string) {
  const table = `bench-report-${Date.now().toString(36)}`;
  await ensureTable(endpoint, table);
  // The seed's evaluation season goes through use cases that read the configuration.
  process.env.TABLE_NAME = table;
  const { doc } = countingDocumentClient(endpoint);
  const db = { doc, table };
  await timed('seed the demo', () => runSeed('demo', db, { force: true }));
  const deps: AppDeps = depsFor(db, { now: () => new Date() }, ulidIds);
  const policy = await yearPolicy(deps.repos.policies, 2020);
  const calendar = replayCalendar(2020, policy).filter((r) => (SIM_JOBS as readonly string[]).includes(r.job));
  await timed(`run the year's ${calendar.length} jobs in calendar order`, async () => {
    let allocated = false;
    for (const r of calendar) {
      await runJob(deps, { job: r.job, asOf: r.asOf, runId: ulidIds.next(), actor: SYSTEM, concurrency: 16 });
      if (r.job === 'idle-funds-sweep' && !allocated) {
        allocated = true;
        for (const [i, projectId] of ['2020-D001-01-01', '2020-D002-01-01'].entries()) {
          await allocate(deps, { sub: 'bench', roles: ['performance'] }, 2020, {
            allocationId: `bench-${i}`,
            projectId,
            amountFen: 1_000_000,
            reason: '统筹安排',
          }).catch((e: Error) => console.log(`  allocation ${projectId}: ${e.message}`));
        }
      }
    }
  });
  await timed('annual report, JSON (demo year), first', () => getAnnualReport(deps, 2020));
  const report = await timed('annual report, JSON (demo year), again', () => getAnnualReport(deps, 2020));
  const html = await timed('annual report, HTML', () => annualReportHtml(report));
  console.log(`  html: ${html.length} characters`);
  if (args.includes('--screenshot')) {
    const page = await renderReportPage(html, join(SHOTS, 'annual-demo.png'), { fullPage: true });
    console.log(`  wrote docs/report/annual-demo.png (${page.shot.length} bytes; ${page.headings} sections; errors ${JSON.stringify(page.errors)})`);
  }
  await timed('annual report, XLSX', () => annualReportXlsx(report));
  console.log(
    `  report: targets filed ${JSON.stringify(report.targets.groups.map((g) => [g.label, g.filed.value]))}; business income ${report.businessIncome.budgetFen.value} fen; clean-up ${report.cleanup.projects.value} projects, ${report.cleanup.cutFen.value} fen`,
  );
  console.log(
    `  report: reclaimed ${report.reclaimed.totalFen.value} fen; lights ${JSON.stringify(report.monitoring.map((m) => [m.red.value, m.yellow.value, m.green.value]))}`,
  );
  await timed('what-if, no override (demo year), first', async () => runScenario(await loadScenarioData(deps, 2020), policy));
  const same = await timed('what-if, no override (demo year), again', async () => runScenario(await loadScenarioData(deps, 2020), policy));
  console.log(`  reproduces the ledger: ${same.reproducesLedger} (mismatches ${same.mismatches.length}); actual ${JSON.stringify(same.totals.actual)}`);
  console.log(`  by rule [entries, fen]: ${JSON.stringify(Object.fromEntries(same.rules.map((x) => [x.rule, [x.actual.deductions, x.actual.amountFen]])))}`);
  const half = await timed('what-if, reclaim ratio 50% (demo year)', async () =>
    runScenario(await loadScenarioData(deps, 2020), mergePolicy(policy, { progressReclaim: { ratioBp: 5000 } })),
  );
  console.log(`  alternative ${JSON.stringify(half.totals.alternative)} difference ${JSON.stringify(half.totals.difference)}`);
  doc.destroy();
}

/** A synthetic year: N leaves in 500 departments, a tenth deferrable, spending spread over the year. */
function syntheticYear(n: number): ScenarioData {
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const projects: SimProject[] = [];
  for (let i = 0; i < n; i++) {
    const budgetFen = 100_000 * (1 + Math.floor(rnd() * 5000));
    const pace = rnd();
    const spentByDay: Record<string, number> = {};
    let spent = 0;
    for (const [m, share] of [
      ['03-15', 0.2],
      ['06-15', 0.25],
      ['09-15', 0.25],
      ['11-15', 0.2],
      ['12-15', 0.1],
    ] as const) {
      const x = Math.floor(budgetFen * share * pace * 1.2);
      if (spent + x > budgetFen) break;
      spentByDay[`2020-${m}`] = x;
      spent += x;
    }
    projects.push({
      projectId: `P${i}`,
      deptId: `D${i % 500}`,
      year: 2020,
      level: 2,
      parentId: `L${i % 5000}`,
      childCount: 0,
      status: 'active',
      fundSource: 'general',
      deferrable: i % 10 === 0,
      budgetFen,
      spentFen: spent,
      spentByDay,
    });
    if (i % 10 === 1)
      projects.push({
        projectId: `N${i}`,
        deptId: `D${i % 500}`,
        year: 2021,
        level: 1,
        childCount: 0,
        status: 'active',
        fundSource: 'general',
        deferrable: false,
        budgetFen,
        spentFen: 0,
        spentByDay: {},
        continuesProjectId: `P${i}`,
      });
  }
  const report = { indicators: [{ name: '完成量', direction: '>=' as const, targetValue: 100, actualValue: 80, outlook: 'certain' as const }] };
  const steps = [
    ...DEFAULT_POLICY.monitoring.checkpoints.map((c) => ({ job: 'monitoring-snapshot' as const, asOf: `2020-${c.date}` })),
    { job: 'progress-reclaim' as const, asOf: '2020-09-30' },
    { job: 'progress-cap' as const, asOf: '2020-11-30' },
    { job: 'progress-cap' as const, asOf: '2020-12-31' },
    ...DEFAULT_POLICY.idleFunds.quarterEnds.map((q) => ({ job: 'idle-funds-sweep' as const, asOf: `2020-${q}` })),
  ];
  const order = { 'monitoring-snapshot': 1, 'progress-reclaim': 2, 'progress-cap': 3, 'idle-funds-sweep': 4 };
  const timedSteps = steps.map((s) => ({ ...s, at: `${s.asOf}T17:${order[s.job]}0:00.000Z` }));
  return {
    year: 2020,
    actual: DEFAULT_POLICY,
    projects,
    records: [],
    ledger: [],
    steps: timedSteps,
    reports: (_i, id) => (id.endsWith('7') ? undefined : report),
    raises: [],
  };
}

async function main() {
  let local: DynamoLocal | undefined;
  let endpoint = option('endpoint');
  if (!args.includes('--core-only')) {
    if (!endpoint) {
      local = await startDynamoLocal(await freePort());
      endpoint = local.endpoint;
    }
    try {
      await demoYear(endpoint);
    } finally {
      await local?.stop();
    }
  }
  const data = await timed(`synthetic year of ${PROJECTS} leaves`, () => syntheticYear(PROJECTS));
  const base = await timed(`what-if core, actual policy (${PROJECTS})`, () => simulateYear(data, DEFAULT_POLICY));
  const alt = await timed(`what-if core, reclaim ratio 50% (${PROJECTS})`, () => simulateYear(data, HALF));
  const cmp = await timed('what-if core, side by side', () =>
    compareScenario({ deductions: base.deductions, lights: [], flagged: base.flagged, flaggedByDept: base.flaggedByDept }, alt),
  );
  console.log(`  ${base.deductions.length} deductions → ${alt.deductions.length}; ${JSON.stringify(cmp.totals.difference)}`);
}

await main();
