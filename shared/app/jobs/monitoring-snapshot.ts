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
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { auditPut } from '../../aws/audit';
import { type Db, getItem, transact, type TransactItem } from '../../aws/db';
import { departmentsRepo } from '../../aws/departments-repo';
import { keys } from '../../aws/keys';
import { forEachLeaf } from '../../aws/leaves';
import {
  type MonitoringReport,
  monitoringRepo,
  reportLoader,
  type SnapshotDepartment,
  type SnapshotHeader,
  type SnapshotProject,
  snapshotDepartmentItem,
  snapshotHeaderItem,
  snapshotProjectItem,
} from '../../aws/monitoring-repo';
import { outboxLinePut } from '../../aws/outbox';
import { projectsRepo, stripKeys } from '../../aws/projects-repo';
import { findCheckpoint } from '../../domain/monitoring';
import { isLeaf, type Project, spentAsOf } from '../../domain/project';
import {
  assessProject,
  departmentLine,
  grandTotals,
  rollUp,
  shouldSuspend,
  snapshotDates,
  SUSPENDED_FLAG,
  warningLine,
} from '../../domain/rules/monitoring';
import { suspendUpdate } from '../monitoring';
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
  const repo = monitoringRepo(deps.db);

  await putIfAbsent(deps.db, {
    ...keys.snapshotClosed(year, cp.date),
    entity: 'SnapshotClosed',
    v: 1,
    year,
    checkpoint: cp.date,
    runId: ctx.runId,
    closedAt: deps.clock.now().toISOString(),
  });
  const done = await repo.header(year, cp.date);
  if (done) return summaryOf(done, { rerun: true });

  const monitoring = ctx.policy.monitoring;
  const items: SnapshotProject[] = [];
  const counts = { cancelled: 0, existing: 0, retries: 0 };
  const reports = reportLoader(deps.db, cp.date);
  const walk = await forEachLeaf(deps.db, year, ctx.concurrency, async (project) => {
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

  const departments = rollUp(items);
  const names = new Map((await departmentsRepo(deps.db).list()).map((d) => [d.deptId, d.name]));
  const takenAt = deps.clock.now().toISOString();
  const queue = [...departments];
  await Promise.all(
    Array.from({ length: Math.min(8, ctx.concurrency) }, async () => {
      for (let d = queue.shift(); d; d = queue.shift()) {
        const item: SnapshotDepartment = { year, checkpoint: cp.date, asOf: ctx.asOf, ...d, runId: ctx.runId, takenAt };
        const writes: TransactItem[] = [
          { Put: { TableName: deps.db.table, Item: snapshotDepartmentItem(item), ConditionExpression: 'attribute_not_exists(PK)' } },
        ];
        if (d.red + d.yellow > 0) {
          writes.push(
            outboxLinePut(deps.db, ctx.outboxGroup, d.deptId, lineId.department(), departmentLine(d, names.get(d.deptId) ?? d.deptId, ctx.asOf, cp.benchmarkBp)),
          );
        }
        await transact(deps.db, writes); // a cancelled write means a previous run wrote both
      }
    }),
  );

  const totals = grandTotals(departments);
  const header: SnapshotHeader = {
    year,
    checkpoint: cp.date,
    asOf: ctx.asOf,
    benchmarkBp: cp.benchmarkBp,
    redGapBp: monitoring.redGapBp,
    deviationBp: monitoring.deviationBp,
    lastCheckpoint: cp.last,
    suspendOnImpossible: monitoring.suspendOnImpossible,
    ...totals,
    suspended: items.filter((i) => i.suspended).length,
    cancelled: counts.cancelled,
    runId: ctx.runId,
    takenAt,
  };
  await putIfAbsent(deps.db, snapshotHeaderItem(header));
  const stored = (await repo.header(year, cp.date)) ?? header;
  return { ...summaryOf(stored, { rerun: false }), resumed: counts.existing, retries: counts.retries, pages: walk.pages };
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
  cp: { date: string; benchmarkBp: number; last: boolean },
  first: Project,
  reports: ReturnType<typeof reportLoader>,
): Promise<{ item: SnapshotProject; existing: boolean; attempts: number }> {
  const { deps } = ctx;
  const monitoring = ctx.policy.monitoring;
  let project: Project | undefined = first;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (!project) throw new Error(`project ${first.projectId} disappeared during the snapshot`);
    const report: MonitoringReport | undefined = await reports.load(project.projectId);
    const spentFen = spentAsOf(project.spentByDay ?? {}, ctx.asOf);
    const a = assessProject({ budgetFen: project.budgetFen, spentFen, status: project.status, report }, cp.benchmarkBp, monitoring);
    const suspend = shouldSuspend(a, { lastCheckpoint: cp.last, suspendOnImpossible: monitoring.suspendOnImpossible, status: project.status });
    if (suspend && !a.flags.includes(SUSPENDED_FLAG)) a.flags.push(SUSPENDED_FLAG);
    const now = deps.clock.now().toISOString();
    const item: SnapshotProject = {
      year: ctx.year,
      checkpoint: cp.date,
      asOf: ctx.asOf,
      projectId: project.projectId,
      deptId: project.deptId,
      name: project.name,
      level: project.level,
      ...(project.parentId ? { parentId: project.parentId } : {}),
      budgetFen: project.budgetFen,
      spentFen,
      progressBp: a.progressBp,
      ...(a.achievementBp !== undefined ? { achievementBp: a.achievementBp } : {}),
      light: a.light,
      flags: a.flags,
      ...(a.outlook ? { outlook: a.outlook } : {}),
      ...(report ? { reportVersion: report.version } : {}),
      status: project.status,
      suspended: suspend,
      runId: ctx.runId,
      takenAt: now,
    };
    const put: TransactItem = {
      Put: {
        TableName: deps.db.table,
        Item: snapshotProjectItem(item),
        ConditionExpression: 'attribute_not_exists(PK)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
    const writes: TransactItem[] = [put];
    if (a.light !== 'green') {
      const line = warningLine(
        {
          projectId: project.projectId,
          name: project.name,
          asOf: ctx.asOf,
          benchmarkBp: cp.benchmarkBp,
          budgetFen: project.budgetFen,
          spentFen,
          suspendedNow: suspend,
          concerns: report?.indicators ?? [],
        },
        a,
        monitoring,
      );
      writes.push(outboxLinePut(deps.db, ctx.outboxGroup, project.deptId, lineId.project(a.light, project.projectId), line));
    }
    if (suspend) {
      writes.push(suspendUpdate(deps, project, { since: ctx.asOf, runId: ctx.runId }, now));
      writes.push(
        auditPut(deps.db, keys.project(project.projectId).PK, {
          // Once only: the snapshot item's condition cancels the whole write on a rerun.
          auditId: deps.ids.next(),
          entityType: 'Project',
          entityId: project.projectId,
          action: 'project.suspended',
          actor: ctx.actor.sub,
          at: now,
          before: { status: project.status, flags: project.flags },
          after: { status: 'suspended', flags: [...project.flags.filter((f) => f !== SUSPENDED_FLAG), SUSPENDED_FLAG], snapshot: ctx.asOf, light: a.light, reasons: a.flags },
        }),
      );
    }

    if (writes.length === 1) {
      const old = await putReturningOld(deps.db, put);
      return old ? { item: stripKeys<SnapshotProject>(old), existing: true, attempts: attempt } : { item, existing: false, attempts: attempt };
    }
    const outcome = await transact(deps.db, writes);
    if (outcome.ok) return { item, existing: false, attempts: attempt };
    if (outcome.reasons[0] === 'ConditionalCheckFailed') {
      const old = outcome.oldItems[0];
      if (old) return { item: stripKeys<SnapshotProject>(old), existing: true, attempts: attempt };
      const again = await getItemStrict(deps.db, keys.snapshotProject(ctx.year, cp.date, project.deptId, project.projectId));
      return { item: stripKeys<SnapshotProject>(again), existing: true, attempts: attempt };
    }
    // The project moved (a payment, a deduction, a status change) since it was read: read again.
    project = await projectsRepo(deps.db).get(project.projectId);
  }
  throw new Error(`project ${first.projectId} kept changing during the snapshot`);
}

async function putIfAbsent(db: Db, item: Record<string, unknown>): Promise<boolean> {
  try {
    await db.doc.send(new PutCommand({ TableName: db.table, Item: item, ConditionExpression: 'attribute_not_exists(PK)' }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Puts the item; if it is already there, returns the stored one (ALL_OLD) instead. */
async function putReturningOld(db: Db, put: TransactItem): Promise<Record<string, unknown> | undefined> {
  const p = put.Put as NonNullable<TransactItem['Put']>;
  try {
    await db.doc.send(new PutCommand({ TableName: p.TableName, Item: p.Item, ConditionExpression: p.ConditionExpression, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    return undefined;
  } catch (error) {
    const e = error as { name?: string; Item?: Record<string, unknown> };
    if (e.name !== 'ConditionalCheckFailedException') throw error;
    if (e.Item) return unmarshall(e.Item as Parameters<typeof unmarshall>[0]);
    const item = p.Item as Record<string, unknown>;
    return getItemStrict(db, { PK: item.PK as string, SK: item.SK as string });
  }
}

async function getItemStrict(db: Db, key: { PK: string; SK: string }): Promise<Record<string, unknown>> {
  const item = await getItem(db, key);
  if (!item) throw new Error(`expected ${key.PK} ${key.SK} to exist`);
  return item;
}

export const monitoringSnapshotJob: JobDefinition = {
  name: 'monitoring-snapshot',
  title: '绩效运行监控预警',
  dates: (policy, year) => snapshotDates(policy, year),
  run: (ctx) => runMonitoringSnapshot(ctx),
};
