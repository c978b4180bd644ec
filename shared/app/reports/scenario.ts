/**
 * POST /v1/scenarios (SPEC §3.11): the year's stored data read once through the repositories,
 * the year rerun by the pure model (shared/domain/report/scenario.ts) under the actual policy
 * (which must reproduce the ledger: `reproducesLedger`) and under the override, side by side.
 * Nothing is written but the scenario record. GET /v1/scenarios/{id} reads it back.
 */
import type { Principal } from '../../domain/access';
import { ConflictError, NotFoundError } from '../../domain/errors';
import { IDLE_KINDS, type IdleRecord, recordAmount, recordId } from '../../domain/idle-records';
import type { Deduction } from '../../domain/ledger';
import type { Policy, PolicyOverride } from '../../domain/policy';
import { isLeaf, type Project } from '../../domain/project';
import { type ActualLights, compareScenario, lightsMatch } from '../../domain/report/compare';
import {
  actualDeductions,
  type ActualStep,
  ledgerMismatches,
  SIM_JOBS,
  type ScenarioData,
  type SimProject,
  type SimRecord,
  simulateYear,
} from '../../domain/report/scenario';
import { NEXT_YEAR_AT_ACTUAL } from '../../domain/rules/progress-cap';
import type { MonitoringReport } from '../../domain/monitoring';
import type { AppDeps } from '../context';
import { checkedPolicy, yearPolicy } from '../policies';
import { requestHash } from '../ports';
import { allPages, ledgerOfYear } from './annual';

type Stored = Project & { exemptRules?: string[]; suspension?: { liftedAt?: string } };

const simProject = (p: Stored): SimProject => ({
  projectId: p.projectId,
  deptId: p.deptId,
  year: p.year,
  level: p.level,
  ...(p.parentId ? { parentId: p.parentId } : {}),
  childCount: p.childCount,
  status: p.status,
  fundSource: p.fundSource,
  deferrable: p.deferrable,
  budgetFen: p.budgetFen,
  spentFen: p.spentFen,
  spentByDay: p.spentByDay ?? {},
  exemptRules: p.exemptRules ?? [],
  ...(p.continuesProjectId ? { continuesProjectId: p.continuesProjectId } : {}),
  ...(p.suspension?.liftedAt ? { liftedAt: p.suspension.liftedAt } : {}),
});

function simRecord(r: IdleRecord): SimRecord {
  const base = { id: recordId(r), deptId: r.deptId, amountFen: recordAmount(r), open: r.status === 'open' };
  if (r.kind === 'carryover') return { ...base, kind: 'carryover', originYear: r.originYear };
  if (r.kind === 'payable') return { ...base, kind: 'payable', since: r.since };
  return { ...base, kind: 'account', lastMovementDate: r.lastMovementDate };
}

/** Each job's dates of the year that ran, and when the first run of each started. */
async function stepsOf(deps: AppDeps, year: number): Promise<ActualStep[]> {
  const perJob = await Promise.all(SIM_JOBS.map((job) => allPages((t) => deps.repos.jobRuns.list(job, 100, t))));
  const out: ActualStep[] = [];
  SIM_JOBS.forEach((job, i) => {
    const runs = (perJob[i] ?? []).filter((r) => r.asOf.startsWith(`${year}-`) && r.status !== 'deferred');
    const asOfs = new Set(runs.filter((r) => r.status === 'succeeded').map((r) => r.asOf));
    for (const asOf of asOfs) {
      const at = runs
        .filter((r) => r.asOf === asOf)
        .map((r) => r.startedAt)
        .sort()[0] as string;
      out.push({ job, asOf, at });
    }
  });
  return out;
}

async function reportsOf(deps: AppDeps, policy: Policy, leafIds: string[]) {
  const maps = await Promise.all(
    policy.monitoring.checkpoints.map(async (c) => {
      const loader = deps.repos.monitoring.reportLoader(c.date);
      const found = await Promise.all(leafIds.map(async (id) => [id, await loader.load(id)] as const));
      return new Map(found.filter((x): x is readonly [string, MonitoringReport] => x[1] !== undefined));
    }),
  );
  return (index: number, projectId: string) => maps[index]?.get(projectId);
}

export async function loadScenarioData(deps: AppDeps, year: number): Promise<{ data: ScenarioData; actualLights: ActualLights[]; flagged: Stored[] }> {
  const r = deps.repos;
  const actual = await yearPolicy(r.policies, year);
  // What needs no leaf ids starts at once, alongside the leaves.
  const independent = Promise.all([
    stepsOf(deps, year),
    lightsOf(deps, year, actual),
    Promise.all([year, year + 1].map((y) => allPages((t) => r.pool.pageAllocations(y, 1000, t)))).then((x) => x.flat()),
  ]);
  const leaves: Stored[] = [];
  const [, next, records, ...ledgers] = await Promise.all([
    r.leaves.forEach(year, 16, async (p) => void (isLeaf(p) && leaves.push(p as Stored))),
    r.projectFlags.ofYear(year + 1),
    Promise.all(IDLE_KINDS.map((kind) => allPages((t) => r.idleFunds.page(kind, { limit: 1000, ...(t ? { nextToken: t } : {}) })))).then((x) => x.flat()),
    ledgerOfYear(deps, year - 1),
    ledgerOfYear(deps, year),
    ledgerOfYear(deps, year + 1),
  ]);
  const projects = [...leaves, ...(next as Stored[])].map(simProject);
  const projectIds = new Set(projects.map((p) => p.projectId));
  const recordIds = new Set(records.map(recordId));
  const yearStart = `${year}-01-01`;
  const seen = new Set<string>();
  const ledger = (ledgers.flat() as Deduction[]).filter((d) => {
    if (seen.has(d.deductionId)) return false;
    seen.add(d.deductionId);
    if (d.projectId) return projectIds.has(d.projectId);
    const id = d.carryoverId ?? d.payableId ?? d.accountId;
    return id !== undefined && recordIds.has(id) && d.asOf >= yearStart;
  });
  const [reports, [steps, actualLights, allocations]] = await Promise.all([
    reportsOf(
      deps,
      actual,
      leaves.map((p) => p.projectId),
    ),
    independent,
  ]);
  const raises = allocations.filter((a) => projectIds.has(a.projectId)).map((a) => ({ projectId: a.projectId, amountFen: a.amountFen, at: a.createdAt }));
  const flagged = leaves.filter((p) => (p.flags ?? []).includes(NEXT_YEAR_AT_ACTUAL));
  return { data: { year, actual, projects, records: records.map(simRecord), ledger, steps, reports, raises }, actualLights, flagged };
}

async function lightsOf(deps: AppDeps, year: number, policy: Policy): Promise<ActualLights[]> {
  const per = await Promise.all(
    policy.monitoring.checkpoints.map((c) => Promise.all([deps.repos.monitoring.header(year, c.date), deps.repos.monitoring.departments(year, c.date)])),
  );
  return per.flatMap(([h, depts], index) =>
    h
      ? [
          {
            index,
            date: h.asOf,
            red: h.red,
            yellow: h.yellow,
            green: h.green,
            suspended: h.suspended,
            byDept: Object.fromEntries(depts.map((d) => [d.deptId, { red: d.red, yellow: d.yellow, green: d.green }])),
          },
        ]
      : [],
  );
}

/** The model under both policies and the comparison (the pure part of a scenario). */
export function runScenario(loaded: Awaited<ReturnType<typeof loadScenarioData>>, alternative: Policy) {
  const { data, actualLights, flagged } = loaded;
  const actual = actualDeductions(data);
  const baseline = simulateYear(data, data.actual);
  const alt = simulateYear(data, alternative);
  const mismatches = ledgerMismatches(actual, baseline.deductions);
  const flaggedByDept: Record<string, number> = {};
  for (const p of flagged) flaggedByDept[p.deptId] = (flaggedByDept[p.deptId] ?? 0) + 1;
  return {
    reproducesLedger: mismatches.length === 0 && lightsMatch(actualLights, baseline.lights) && baseline.flagged === flagged.length,
    mismatches,
    steps: data.steps,
    ...compareScenario({ deductions: actual, lights: actualLights, flagged: flagged.length, flaggedByDept }, alt),
  };
}

export async function createScenario(deps: AppDeps, actor: Principal, body: { scenarioId: string; year: number; policy: PolicyOverride }) {
  const hash = requestHash({ year: body.year, policy: body.policy });
  const existing = await deps.repos.reports.scenario(body.scenarioId);
  if (existing) {
    if (existing.requestHash !== hash) throw new ConflictError('ID_CONFLICT', `Scenario ${body.scenarioId} exists with another body`);
    return { status: 200, body: existing };
  }
  const stored = await deps.repos.policies.get(body.year);
  const { effective } = checkedPolicy(stored?.override, body.policy, 'body.policy');
  const started = Date.now();
  const result = runScenario(await loadScenarioData(deps, body.year), effective);
  const at = deps.clock.now().toISOString();
  const record = {
    scenarioId: body.scenarioId,
    year: body.year,
    policy: body.policy,
    requestHash: hash,
    createdAt: at,
    createdBy: actor.sub,
    result: { ...result, effectivePolicy: effective, computedMs: Date.now() - started },
  };
  const outcome = await deps.repos.reports.putScenario(record, {
    auditId: deps.ids.next(),
    entityType: 'Scenario',
    entityId: body.scenarioId,
    action: 'scenario.created',
    actor: actor.sub,
    at,
    before: null,
    after: { year: body.year, policy: body.policy },
  });
  if (outcome === 'exists') return createScenario(deps, actor, body);
  return { status: 201, body: record };
}

export async function getScenario(deps: AppDeps, scenarioId: string) {
  const s = await deps.repos.reports.scenario(scenarioId);
  if (!s) throw new NotFoundError(`No scenario ${scenarioId}`);
  return s;
}
