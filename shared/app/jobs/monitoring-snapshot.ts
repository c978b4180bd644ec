/**
 * The `monitoring-snapshot` job (SPEC §3.5, §5): as of each monitoring checkpoint of the
 * year's policy, an immutable snapshot of every leaf project and every department as a whole.
 *
 *  1. Filing closes: the closing marker is written (reports check it in their transaction), so
 *     what the snapshot reads can no longer change under it, and a rerun reads the same.
 *  2. Every leaf project (sparse leaf index, never a Scan; bounded concurrency): its latest
 *     report for the checkpoint (strongly consistent), spending as of the date, the light
 *     (shared/domain/rules/monitoring.ts). ONE write per project: the snapshot item
 *     (attribute_not_exists), with — for a red or yellow project — the email line, and — at the
 *     last checkpoint, for a red project with an `impossible` outlook, when the policy says so
 *     — the suspension (project update guarded by status and version) and its audit record.
 *     An item already there (a rerun, a run resumed after a crash) is read back, not redone.
 *  3. Department roll-ups from the project items, each with its summary email line when it
 *     has red or yellow projects; then the header with the totals, which marks it complete.
 *
 * The runner seals the run's outbox group into one email per department.
 */
import type { MonitoringReport } from '../../domain/monitoring';
import { findCheckpoint } from '../../domain/monitoring';
import { isLeaf, type Project, spentAsOf } from '../../domain/project';
import { type Assessment, assessProject, grandTotals, rollUp, shouldSuspend, snapshotDates, SUSPENDED_FLAG } from '../../domain/rules/monitoring';
import { departmentLine, warningLine } from '../../domain/email-lines';
import type { LineTo, SnapshotDepartment, SnapshotHeader, SnapshotProject, StatusMove } from '../../domain/snapshots';
import { suspendMove } from '../monitoring/suspension';
import type { JobContext, JobDefinition, JobSummary } from './types';

const MAX_ATTEMPTS = 5;

export interface SnapshotHooks {
  /** Called before each project is handled (tests use it to kill a run half way). */
  beforeProject?: (p: Project) => void | Promise<void>;
}

/** Line ids sort the email: the department first, then red, then yellow projects. */
const lineId = {
  department: () => '0~department',
  project: (light: 'red' | 'yellow', projectId: string) => `${light === 'red' ? 1 : 2}~${light}~${projectId}`,
};

export async function runMonitoringSnapshot(ctx: JobContext, hooks: SnapshotHooks = {}): Promise<JobSummary> {
  const { deps, year } = ctx;
  const cp = findCheckpoint(ctx.policy, ctx.asOf.slice(5));
  if ('path' in cp || `${year}-${cp.date}` !== ctx.asOf) throw new Error(`${ctx.asOf} is not a monitoring checkpoint of ${year}`);
  const repo = deps.repos.monitoring;
  await deps.repos.snapshots.close(year, cp.date, ctx.runId, deps.clock.now().toISOString());
  const done = await repo.header(year, cp.date);
  if (done) return summaryOf(done, { rerun: true });

  const items: SnapshotProject[] = [];
  const counts = { cancelled: 0, existing: 0, retries: 0 };
  const reports = repo.reportLoader(cp.date);
  const walk = await deps.repos.leaves.forEach(year, ctx.concurrency, async (project) => {
    await hooks.beforeProject?.(project);
    if (!isLeaf(project)) return;
    if (project.status === 'cancelled') {
      counts.cancelled++;
      return;
    }
    const out = await snapshotProject(ctx, cp, project, reports);
    if (out.existing) counts.existing++;
    counts.retries += out.attempts - 1;
    items.push(out.item);
  });
  const takenAt = deps.clock.now().toISOString();
  const departments = await putDepartments(ctx, cp, items, takenAt);
  const header = headerOf(ctx, cp, departments, items, counts.cancelled, takenAt);
  await deps.repos.snapshots.putHeader(header);
  const stored = (await repo.header(year, cp.date)) ?? header;
  return { ...summaryOf(stored, { rerun: false }), resumed: counts.existing, retries: counts.retries, pages: walk.pages };
}

type Checkpoint = { date: string; benchmarkBp: number; last: boolean };

/** The department roll-ups, each with its summary line when it has red or yellow projects. */
async function putDepartments(ctx: JobContext, cp: Checkpoint, items: SnapshotProject[], takenAt: string) {
  const departments = rollUp(items);
  const names = await ctx.deps.repos.snapshots.departmentNames();
  const queue = [...departments];
  await Promise.all(
    Array.from({ length: Math.min(8, ctx.concurrency) }, async () => {
      for (let d = queue.shift(); d; d = queue.shift()) {
        const item: SnapshotDepartment = { year: ctx.year, checkpoint: cp.date, asOf: ctx.asOf, ...d, runId: ctx.runId, takenAt };
        const line: LineTo | undefined =
          d.red + d.yellow > 0
            ? {
                group: ctx.outboxGroup,
                deptId: d.deptId,
                lineId: lineId.department(),
                line: departmentLine(d, names.get(d.deptId) ?? d.deptId, ctx.asOf, cp.benchmarkBp),
              }
            : undefined;
        await ctx.deps.repos.snapshots.putDepartment(item, line);
      }
    }),
  );
  return departments;
}

function headerOf(
  ctx: JobContext,
  cp: Checkpoint,
  departments: ReturnType<typeof rollUp>,
  items: SnapshotProject[],
  cancelled: number,
  takenAt: string,
): SnapshotHeader {
  const monitoring = ctx.policy.monitoring;
  return {
    year: ctx.year,
    checkpoint: cp.date,
    asOf: ctx.asOf,
    benchmarkBp: cp.benchmarkBp,
    redGapBp: monitoring.redGapBp,
    deviationBp: monitoring.deviationBp,
    lastCheckpoint: cp.last,
    suspendOnImpossible: monitoring.suspendOnImpossible,
    ...grandTotals(departments),
    suspended: items.filter((i) => i.suspended).length,
    cancelled,
    runId: ctx.runId,
    takenAt,
  };
}

function summaryOf(h: SnapshotHeader, extra: Record<string, unknown>): JobSummary {
  return {
    asOf: h.asOf,
    projects: h.projects,
    departments: h.departments,
    red: h.red,
    yellow: h.yellow,
    green: h.green,
    suspended: h.suspended,
    cancelled: h.cancelled,
    budgetFen: h.budgetFen,
    spentFen: h.spentFen,
    progressBp: h.progressBp,
    ...extra,
  };
}

async function snapshotProject(
  ctx: JobContext,
  cp: Checkpoint,
  first: Project,
  reports: { load(projectId: string): Promise<MonitoringReport | undefined> },
): Promise<{ item: SnapshotProject; existing: boolean; attempts: number }> {
  const { deps } = ctx;
  const monitoring = ctx.policy.monitoring;
  let project: Project | undefined = first;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (!project) throw new Error(`project ${first.projectId} disappeared during the snapshot`);
    const report = await reports.load(project.projectId);
    const spentFen = spentAsOf(project.spentByDay ?? {}, ctx.asOf);
    const a = assessProject({ budgetFen: project.budgetFen, spentFen, status: project.status, report }, cp.benchmarkBp, monitoring);
    const suspend = shouldSuspend(a, { lastCheckpoint: cp.last, suspendOnImpossible: monitoring.suspendOnImpossible, status: project.status });
    if (suspend && !a.flags.includes(SUSPENDED_FLAG)) a.flags.push(SUSPENDED_FLAG);
    const now = deps.clock.now().toISOString();
    const item = itemOf(ctx, cp, project, { spentFen, a, report, suspend, now });
    const outcome = await deps.repos.snapshots.putProject(item, {
      ...(a.light !== 'green' ? { line: warningTo(ctx, cp, project, { spentFen, a, report, suspend }) } : {}),
      ...(suspend ? { suspend: suspension(ctx, project, a, now) } : {}),
    });
    if (outcome.kind === 'written') return { item, existing: false, attempts: attempt };
    if (outcome.kind === 'existing') return { item: outcome.item, existing: true, attempts: attempt };
    // The project moved (a payment, a deduction, a status change) since it was read: read again.
    project = await deps.repos.leaves.project(project.projectId);
  }
  throw new Error(`project ${first.projectId} kept changing during the snapshot`);
}

interface Assessed {
  spentFen: number;
  a: Assessment;
  report: MonitoringReport | undefined;
  suspend: boolean;
}

function itemOf(ctx: JobContext, cp: Checkpoint, project: Project, x: Assessed & { now: string }): SnapshotProject {
  const { a, report } = x;
  return {
    year: ctx.year,
    checkpoint: cp.date,
    asOf: ctx.asOf,
    projectId: project.projectId,
    deptId: project.deptId,
    name: project.name,
    level: project.level,
    ...(project.parentId ? { parentId: project.parentId } : {}),
    budgetFen: project.budgetFen,
    spentFen: x.spentFen,
    progressBp: a.progressBp,
    ...(a.achievementBp !== undefined ? { achievementBp: a.achievementBp } : {}),
    light: a.light,
    flags: a.flags,
    ...(a.outlook ? { outlook: a.outlook } : {}),
    ...(report ? { reportVersion: report.version } : {}),
    status: project.status,
    suspended: x.suspend,
    runId: ctx.runId,
    takenAt: x.now,
  };
}

/** A red or yellow project's warning line. */
function warningTo(ctx: JobContext, cp: Checkpoint, project: Project, x: Assessed): LineTo {
  const line = warningLine(
    {
      projectId: project.projectId,
      name: project.name,
      asOf: ctx.asOf,
      benchmarkBp: cp.benchmarkBp,
      budgetFen: project.budgetFen,
      spentFen: x.spentFen,
      suspendedNow: x.suspend,
      concerns: x.report?.indicators ?? [],
    },
    x.a,
    ctx.policy.monitoring,
  );
  return { group: ctx.outboxGroup, deptId: project.deptId, lineId: lineId.project(x.a.light as 'red' | 'yellow', project.projectId), line };
}

function suspension(ctx: JobContext, project: Project, a: Assessment, now: string): StatusMove {
  return suspendMove(project, { since: ctx.asOf, runId: ctx.runId }, now, {
    auditId: ctx.deps.ids.next(),
    entityType: 'Project',
    entityId: project.projectId,
    action: 'project.suspended',
    actor: ctx.actor.sub,
    at: now,
    after: { snapshot: ctx.asOf, light: a.light, reasons: a.flags },
  });
}

export const monitoringSnapshotJob: JobDefinition = {
  name: 'monitoring-snapshot',
  title: '绩效运行监控预警',
  dates: (policy, year) => snapshotDates(policy, year),
  run: (ctx) => runMonitoringSnapshot(ctx),
};
