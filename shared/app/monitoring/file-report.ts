/**
 * Filing a monitoring report (监控表, SPEC §3.5) for a project's checkpoint, checked against
 * the project's target. Filing closes when the checkpoint's snapshot starts: the job writes a
 * closing marker first, and every report write checks it in its transaction (the monitoring
 * repository's saveReport), so a snapshot never misses a report it accepted, and a late one
 * gets 409 SNAPSHOT_TAKEN.
 */
import { changedFields } from '../../aws/audit';
import { assertWriteDepartment, type Principal } from '../../domain/access';
import { ConflictError, type FieldProblem, ValidationError } from '../../domain/errors';
import { findCheckpoint, type MonitoringReport, type ReportBody, reportBody, type ReportTarget, resolveReport } from '../../domain/monitoring';
import { isLeaf, type Project } from '../../domain/project';
import { issuesToProblems } from '../../domain/validation';
import type { AppDeps } from '../context';
import { yearPolicy } from '../policies';
import { requestHash } from '../ports';
import { readableProject } from '../projects';
import { reportView } from './reads';

const MAX_ATTEMPTS = 5;

export type { ReportTarget };

/**
 * The project's performance target as a report is checked against it: the target the targets
 * module keeps beside the project, whatever its review status, so a department reports on the
 * indicators it is working to. No target: undefined, and the report is taken as it is.
 */
export function targetForReport(deps: AppDeps, projectId: string): Promise<ReportTarget | undefined> {
  return deps.repos.monitoring.reportTarget(projectId);
}

/** The body, the checkpoint and the target checked together: every problem listed at once. */
async function checkedReport(deps: AppDeps, project: Project, checkpoint: string, raw: unknown) {
  const policy = await yearPolicy(deps.repos.policies, project.year);
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
    target = await targetForReport(deps, project.projectId);
    resolved = resolveReport(body.indicators, target?.indicators);
    problems.push(...resolved.problems);
  }
  if (problems.length > 0 || !body || !resolved || 'path' in cp) throw new ValidationError(problems);
  if (!isLeaf(project)) {
    throw new ConflictError('NOT_A_LEAF', 'Monitoring reports are filed for leaf projects; this level-1 project has children');
  }
  if (project.status === 'cancelled') throw new ConflictError('PROJECT_CANCELLED', 'The project is cancelled');
  return { cp, body, target, indicators: resolved.indicators };
}

export async function fileReport(deps: AppDeps, actor: Principal, projectId: string, checkpoint: string, raw: unknown) {
  const project = await readableProject(deps, actor, projectId);
  assertWriteDepartment(actor, project.deptId);
  const { cp, body, target, indicators } = await checkedReport(deps, project, checkpoint, raw);
  const repo = deps.repos.monitoring;
  const hash = requestHash({ checkpoint: cp.date, indicators, note: body.note ?? null });
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
      indicators,
      ...(body.note ? { note: body.note } : {}),
      ...(target ? { target: { version: target.version, status: target.status } } : {}),
      filedAt: now,
      filedBy: actor.sub,
      firstFiledAt: current?.firstFiledAt ?? now,
      requestHash: hash,
    };
    const outcome = await repo.saveReport(next, current ? currentVersion : undefined, {
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
    });
    if (outcome === 'saved') return { status: current ? 200 : 201, report: reportView(next, false) };
    if (outcome === 'closed') {
      throw new ConflictError(
        'SNAPSHOT_TAKEN',
        `The ${project.year}-${cp.date} monitoring snapshot has been taken; its reports can no longer be filed or changed`,
      );
    }
    if (outcome === 'cancelled') throw new ConflictError('PROJECT_CANCELLED', 'The project is cancelled');
    // Another save won the race: a client that named its base version is told; else save on top.
    if (body.baseVersion !== undefined) {
      throw new ConflictError('STALE_VERSION', 'The report changed while this request ran', { version: currentVersion + 1 });
    }
    if (attempt >= MAX_ATTEMPTS) throw new ConflictError('CONCURRENT_UPDATE', 'The report is changing too fast; try again');
  }
}
