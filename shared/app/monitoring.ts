/**
 * Monitoring reports (监控表) and snapshots (SPEC §3.5, §6): file and read a project's report
 * for a checkpoint, read a snapshot, lift a suspension.
 *
 * Filing closes when the checkpoint's snapshot starts: the job writes a closing marker first,
 * and every report write checks it in its transaction, so a snapshot never misses a report it
 * accepted, and a late one gets 409 SNAPSHOT_TAKEN.
 */
import { auditPut, changedFields } from '../aws/audit';
import { decodeToken, encodeToken, getItem, queryPage, transact, type TransactItem } from '../aws/db';
import { keys } from '../aws/keys';
import {
  type MonitoringReport,
  monitoringRepo,
  reportItem,
  reportVersionItem,
  type SnapshotDepartment,
  type SnapshotProject,
} from '../aws/monitoring-repo';
import { projectsRepo, stripKeys } from '../aws/projects-repo';
import { assertWriteDepartment, type Principal, readsEverything, scopeDepartment } from '../domain/access';
import { ConflictError, type FieldProblem, NotFoundError, ValidationError } from '../domain/errors';
import { findCheckpoint, type ReportBody, reportBody, resolveReport, type TargetIndicatorRef, worstOutlook } from '../domain/monitoring';
import { type Project, isLeaf, projectView } from '../domain/project';
import { SUSPENDED_FLAG, targetAchievement } from '../domain/rules/monitoring';
import { issuesToProblems } from '../domain/validation';
import type { AppDeps } from './context';
import { effectivePolicy } from './policies';
import { requestHash } from './ports';
import { readableProject } from './projects';
import type { StoredTarget } from './targets';

const MAX_ATTEMPTS = 5;

// ------------------------------------------------------------------ the target seam

export interface ReportTarget {
  version: number;
  status: string;
  indicators: TargetIndicatorRef[];
}

/**
 * The project's performance target as a report is checked against it: the target item the
 * targets module keeps beside the project (keys.projectTarget), whatever its review status, so
 * a department reports on the indicators it is working to. No target: undefined, and the report
 * is taken as it is.
 */
export async function targetForReport(deps: AppDeps, projectId: string): Promise<ReportTarget | undefined> {
  const item = await getItem(deps.db, keys.projectTarget(projectId));
  if (!item) return undefined;
  const t = stripKeys<StoredTarget>(item);
  if (!Array.isArray(t.indicators) || t.indicators.length === 0) return undefined;
  return {
    version: t.version,
    status: t.status,
    indicators: t.indicators.map((i) => {
      const ref: TargetIndicatorRef = { name: i.name };
      if (i.code) ref.code = i.code;
      if (i.level1) ref.level1 = i.level1;
      if (i.unit) ref.unit = i.unit;
      if (i.direction) ref.direction = i.direction;
      if (i.targetValue !== undefined) ref.targetValue = i.targetValue;
      return ref;
    }),
  };
}

// ------------------------------------------------------------------ reports

function reportView(r: MonitoringReport, closed: boolean) {
  const { requestHash: _hash, ...rest } = r;
  const achievement = targetAchievement(r.indicators);
  return {
    ...rest,
    outlook: worstOutlook(r.indicators) ?? null,
    ...(achievement ? { achievementBp: achievement.bp } : {}),
    status: closed ? 'closed' : 'open',
  };
}

export async function fileReport(deps: AppDeps, actor: Principal, projectId: string, checkpoint: string, raw: unknown) {
  const project = await readableProject(deps, actor, projectId);
  assertWriteDepartment(actor, project.deptId);
  const policy = await effectivePolicy(deps.db, project.year);

  const problems: FieldProblem[] = [];
  const cp = findCheckpoint(policy, checkpoint);
  if ('path' in cp) problems.push(cp);
  const parsed = reportBody.safeParse(raw);
  let body: ReportBody | undefined;
  let target: ReportTarget | undefined;
  let resolved: ReturnType<typeof resolveReport> | undefined;
  if (!parsed.success) problems.push(...issuesToProblems(parsed.error.issues, 'body'));
  else {
    body = parsed.data;
    target = await targetForReport(deps, projectId);
    resolved = resolveReport(body.indicators, target?.indicators);
    problems.push(...resolved.problems);
  }
  if (problems.length > 0 || !body || !resolved || 'path' in cp) throw new ValidationError(problems);
  if (!isLeaf(project)) {
    throw new ConflictError('NOT_A_LEAF', 'Monitoring reports are filed for leaf projects; this level-1 project has children');
  }
  if (project.status === 'cancelled') throw new ConflictError('PROJECT_CANCELLED', 'The project is cancelled');

  const repo = monitoringRepo(deps.db);
  const content = { checkpoint: cp.date, indicators: resolved.indicators, note: body.note ?? null };
  const hash = requestHash(content);
  for (let attempt = 1; ; attempt++) {
    const current = await repo.latest(projectId, cp.date);
    // The same report again (a retry) is answered with what was stored, without a new version.
    if (current && current.requestHash === hash) {
      return { status: 200, report: reportView(current, await repo.isClosed(project.year, cp.date)) };
    }
    const currentVersion = current?.version ?? 0;
    if (body.baseVersion !== undefined && body.baseVersion !== currentVersion) {
      throw new ConflictError('STALE_VERSION', `The report is at version ${currentVersion}, not ${body.baseVersion}`, { version: currentVersion });
    }
    const now = deps.clock.now().toISOString();
    const next: MonitoringReport = {
      projectId,
      deptId: project.deptId,
      year: project.year,
      checkpoint: cp.date,
      date: `${project.year}-${cp.date}`,
      version: currentVersion + 1,
      indicators: resolved.indicators,
      ...(body.note ? { note: body.note } : {}),
      ...(target ? { target: { version: target.version, status: target.status } } : {}),
      filedAt: now,
      filedBy: actor.sub,
      firstFiledAt: current?.firstFiledAt ?? now,
      requestHash: hash,
    };
    const items: TransactItem[] = [
      {
        Put: {
          TableName: deps.db.table,
          Item: reportItem(next),
          ...(current
            ? { ConditionExpression: '#version = :v', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':v': currentVersion } }
            : { ConditionExpression: 'attribute_not_exists(PK)' }),
        },
      },
      { Put: { TableName: deps.db.table, Item: reportVersionItem(next), ConditionExpression: 'attribute_not_exists(PK)' } },
      {
        ConditionCheck: {
          TableName: deps.db.table,
          Key: keys.snapshotClosed(project.year, cp.date),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        ConditionCheck: {
          TableName: deps.db.table,
          Key: keys.project(projectId),
          ConditionExpression: 'attribute_exists(PK) AND #status <> :cancelled',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':cancelled': 'cancelled' },
        },
      },
      auditPut(deps.db, keys.project(projectId).PK, {
        auditId: deps.ids.next(),
        entityType: 'MonitoringReport',
        entityId: `${projectId}/${cp.date}`,
        action: current ? 'monitoring.updated' : 'monitoring.filed',
        actor: actor.sub,
        at: now,
        ...changedFields(
          current ? { version: current.version, indicators: current.indicators, note: current.note } : undefined,
          { version: next.version, indicators: next.indicators, note: next.note },
          [],
        ),
      }),
    ];
    const outcome = await transact(deps.db, items);
    if (outcome.ok) return { status: current ? 200 : 201, report: reportView(next, false) };
    if (outcome.reasons[2] === 'ConditionalCheckFailed') {
      throw new ConflictError('SNAPSHOT_TAKEN', `The ${project.year}-${cp.date} monitoring snapshot has been taken; its reports can no longer be filed or changed`);
    }
    if (outcome.reasons[3] === 'ConditionalCheckFailed') throw new ConflictError('PROJECT_CANCELLED', 'The project is cancelled');
    // Another save won the race: a client that named its base version is told; else save on top.
    if (body.baseVersion !== undefined) {
      throw new ConflictError('STALE_VERSION', 'The report changed while this request ran', { version: currentVersion + 1 });
    }
    if (attempt >= MAX_ATTEMPTS) throw new ConflictError('CONCURRENT_UPDATE', 'The report is changing too fast; try again');
  }
}

export async function getReport(deps: AppDeps, actor: Principal, projectId: string, checkpoint: string, version?: number) {
  const project = await readableProject(deps, actor, projectId);
  const policy = await effectivePolicy(deps.db, project.year);
  const cp = findCheckpoint(policy, checkpoint);
  if ('path' in cp) throw new ValidationError([cp]);
  const repo = monitoringRepo(deps.db);
  const [report, versions, closed] = await Promise.all([
    version === undefined ? repo.latest(projectId, cp.date) : repo.version(projectId, cp.date, version),
    repo.versions(projectId, cp.date),
    repo.isClosed(project.year, cp.date),
  ]);
  if (!report) {
    throw new NotFoundError(
      version === undefined ? `No monitoring report for ${project.year}-${cp.date} has been filed` : `No version ${version} of this report`,
      'REPORT_NOT_FOUND',
    );
  }
  return { ...reportView(report, closed), versions };
}

/** Every checkpoint of the project's year, with its latest report or null. */
export async function listReports(deps: AppDeps, actor: Principal, projectId: string) {
  const project = await readableProject(deps, actor, projectId);
  const policy = await effectivePolicy(deps.db, project.year);
  const repo = monitoringRepo(deps.db);
  const [reports, closed] = await Promise.all([
    repo.latestOfProject(projectId),
    Promise.all(policy.monitoring.checkpoints.map((c) => repo.isClosed(project.year, c.date))),
  ]);
  const byCheckpoint = new Map(reports.map((r) => [r.checkpoint, r]));
  return {
    projectId,
    year: project.year,
    items: policy.monitoring.checkpoints.map((c, i) => {
      const r = byCheckpoint.get(c.date);
      return {
        checkpoint: c.date,
        date: `${project.year}-${c.date}`,
        benchmarkBp: c.benchmarkBp,
        status: closed[i] ? 'closed' : 'open',
        report: r ? reportView(r, closed[i] ?? false) : null,
      };
    }),
  };
}

// ------------------------------------------------------------------ snapshots

export function snapshotProjectView(s: SnapshotProject) {
  return {
    projectId: s.projectId,
    deptId: s.deptId,
    name: s.name,
    budgetFen: s.budgetFen,
    spentFen: s.spentFen,
    progressBp: s.progressBp,
    ...(s.achievementBp !== undefined ? { achievementBp: s.achievementBp } : {}),
    light: s.light,
    flags: s.flags,
    ...(s.outlook ? { outlook: s.outlook } : {}),
    ...(s.reportVersion !== undefined ? { reportVersion: s.reportVersion } : {}),
    ...(s.suspended ? { suspended: true } : {}),
  };
}

function departmentView(d: SnapshotDepartment) {
  return {
    deptId: d.deptId,
    projects: d.projects,
    budgetFen: d.budgetFen,
    spentFen: d.spentFen,
    progressBp: d.progressBp,
    red: d.red,
    yellow: d.yellow,
    green: d.green,
    suspended: d.suspended,
  };
}

interface SnapshotToken {
  d: string;
  k?: Record<string, unknown>;
}

/**
 * A snapshot of a year's checkpoint: its departments and a page of its projects (department by
 * department, each in project id order). A department officer sees its own department only.
 */
export async function getSnapshot(
  deps: AppDeps,
  actor: Principal,
  year: number,
  checkpoint: string,
  q: { deptId?: string; limit: number; nextToken?: string },
) {
  const deptId = scopeDepartment(actor, q.deptId);
  let token: SnapshotToken | undefined;
  if (q.nextToken) {
    const decoded = decodeToken(q.nextToken) as Partial<SnapshotToken> | undefined;
    if (!decoded || typeof decoded.d !== 'string') throw new ValidationError([{ path: 'query.nextToken', message: 'not a token this list gave' }]);
    token = decoded as SnapshotToken;
  }
  const repo = monitoringRepo(deps.db);
  const header = await repo.header(year, checkpoint);
  if (!header) throw new NotFoundError(`No monitoring snapshot of ${year}-${checkpoint} has been taken`, 'SNAPSHOT_NOT_FOUND');
  let departments: SnapshotDepartment[];
  if (deptId) {
    const d = await repo.department(year, checkpoint, deptId);
    departments = d ? [d] : [];
  } else {
    departments = await repo.departments(year, checkpoint);
  }

  let index = 0;
  let startKey: Record<string, unknown> | undefined;
  if (token) {
    index = departments.findIndex((d) => d.deptId === token.d);
    if (index < 0) throw new ValidationError([{ path: 'query.nextToken', message: 'not a token this list gave' }]);
    startKey = token.k;
  }
  const projects: ReturnType<typeof snapshotProjectView>[] = [];
  let next: SnapshotToken | undefined;
  while (index < departments.length) {
    const d = departments[index] as SnapshotDepartment;
    const page = await queryPage<Record<string, unknown>>(
      deps.db,
      {
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.snapshotProjectsPartition(year, checkpoint, d.deptId) },
      },
      q.limit - projects.length,
      startKey ? encodeToken(startKey) : undefined,
    );
    projects.push(...page.items.map((i) => snapshotProjectView(stripKeys<SnapshotProject>(i))));
    startKey = undefined;
    if (page.nextToken) {
      next = { d: d.deptId, k: decodeToken(page.nextToken) as Record<string, unknown> };
      break;
    }
    index++;
    if (projects.length >= q.limit) {
      if (index < departments.length) next = { d: (departments[index] as SnapshotDepartment).deptId };
      break;
    }
  }

  return {
    year,
    checkpoint,
    asOf: header.asOf,
    benchmarkBp: header.benchmarkBp,
    takenAt: header.takenAt,
    ...(readsEverything(actor)
      ? {
          totals: {
            departments: header.departments,
            projects: header.projects,
            budgetFen: header.budgetFen,
            spentFen: header.spentFen,
            progressBp: header.progressBp,
            red: header.red,
            yellow: header.yellow,
            green: header.green,
            suspended: header.suspended,
          },
        }
      : {}),
    projects,
    departments: departments.map(departmentView),
    ...(next ? { nextToken: encodeToken(next as unknown as Record<string, unknown>) } : {}),
  };
}

// ------------------------------------------------------------------ suspension

export interface SuspensionRecord {
  /** The snapshot that suspended the project: 'YYYY-MM-DD'. */
  since: string;
  runId?: string;
  liftedAt?: string;
  liftedBy?: string;
  comment?: string;
  /** The Idempotency-Key of the lift, so that a retried lift answers as the first did. */
  liftKey?: string;
}

type SuspendableProject = Project & { suspension?: SuspensionRecord };

/** The performance office lifts a suspension: status active, flag removed, audited. */
export async function liftSuspension(deps: AppDeps, actor: Principal, projectId: string, comment: string, idempotencyKey?: string) {
  const repo = projectsRepo(deps.db);
  for (let attempt = 1; ; attempt++) {
    const p = (await readableProject(deps, actor, projectId)) as SuspendableProject;
    if (p.status !== 'suspended') {
      if (idempotencyKey && p.suspension?.liftKey === idempotencyKey) return { status: 200, project: await viewOf(repo, p) };
      throw new ConflictError('NOT_SUSPENDED', `The project is ${p.status}, not suspended`, { status: p.status });
    }
    const now = deps.clock.now().toISOString();
    const flags = (p.flags ?? []).filter((f) => f !== SUSPENDED_FLAG);
    const suspension: SuspensionRecord = {
      ...(p.suspension ?? { since: '' }),
      liftedAt: now,
      liftedBy: actor.sub,
      comment,
      ...(idempotencyKey ? { liftKey: idempotencyKey } : {}),
    };
    const outcome = await transact(deps.db, [
      statusChange(deps, p, { from: 'suspended', to: 'active', flags, suspension, now }),
      auditPut(deps.db, keys.project(projectId).PK, {
        auditId: deps.ids.next(),
        entityType: 'Project',
        entityId: projectId,
        action: 'project.suspension-lifted',
        actor: actor.sub,
        at: now,
        before: { status: 'suspended', flags: p.flags },
        after: { status: 'active', flags, comment },
      }),
    ]);
    if (outcome.ok) {
      return { status: 200, project: await viewOf(repo, { ...p, status: 'active', flags, version: p.version + 1, updatedAt: now, suspension }) };
    }
    if (attempt >= MAX_ATTEMPTS) throw new ConflictError('CONCURRENT_UPDATE', 'The project is changing too fast; try again');
  }
}

async function viewOf(repo: ReturnType<typeof projectsRepo>, p: SuspendableProject) {
  const children = p.childCount > 0 ? await repo.children(p) : [];
  return { ...projectView(p, children), ...(p.suspension ? { suspension: p.suspension } : {}) };
}

/** Exposed for the snapshot job: the update that suspends a project, guarded by its version. */
export function suspendUpdate(deps: AppDeps, p: Project, suspension: SuspensionRecord, now: string): TransactItem {
  const flags = [...(p.flags ?? []).filter((f) => f !== SUSPENDED_FLAG), SUSPENDED_FLAG];
  return statusChange(deps, p, { from: 'active', to: 'suspended', flags, suspension, now });
}

/** Suspending and lifting: the status moves from → to, guarded by it and by the version. */
function statusChange(
  deps: AppDeps,
  p: Pick<Project, 'projectId' | 'version'>,
  c: { from: 'active' | 'suspended'; to: 'active' | 'suspended'; flags: string[]; suspension: unknown; now: string },
): TransactItem {
  return {
    Update: {
      TableName: deps.db.table,
      Key: keys.project(p.projectId),
      UpdateExpression: 'SET #status = :to, flags = :flags, suspension = :suspension, updatedAt = :now ADD #version :one',
      ConditionExpression: '#status = :from AND #version = :v',
      ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
      ExpressionAttributeValues: {
        ':from': c.from,
        ':to': c.to,
        ':flags': c.flags,
        ':suspension': c.suspension,
        ':now': c.now,
        ':one': 1,
        ':v': p.version,
      },
    },
  };
}
