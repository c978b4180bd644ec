/** Reading monitoring reports and snapshots (SPEC §3.5, §6): a department sees its own only. */
import { type Principal, readsEverything, scopeDepartment } from '../../domain/access';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { findCheckpoint, type MonitoringReport, worstOutlook } from '../../domain/monitoring';
import { targetAchievement } from '../../domain/rules/monitoring';
import type { SnapshotDepartment, SnapshotHeader, SnapshotProject } from '../../domain/snapshots';
import type { AppDeps } from '../context';
import { yearPolicy } from '../policies';
import { readableProject } from '../projects';

export function reportView(r: MonitoringReport, closed: boolean) {
  const { requestHash: _hash, ...rest } = r;
  const achievement = targetAchievement(r.indicators);
  return {
    ...rest,
    outlook: worstOutlook(r.indicators) ?? null,
    ...(achievement ? { achievementBp: achievement.bp } : {}),
    status: closed ? 'closed' : 'open',
  };
}

export async function getReport(deps: AppDeps, actor: Principal, projectId: string, checkpoint: string, version?: number) {
  const project = await readableProject(deps, actor, projectId);
  const policy = await yearPolicy(deps.repos.policies, project.year);
  const cp = findCheckpoint(policy, checkpoint);
  if ('path' in cp) throw new ValidationError([cp]);
  const repo = deps.repos.monitoring;
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
  const policy = await yearPolicy(deps.repos.policies, project.year);
  const repo = deps.repos.monitoring;
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

function totalsView(h: SnapshotHeader) {
  return {
    departments: h.departments,
    projects: h.projects,
    budgetFen: h.budgetFen,
    spentFen: h.spentFen,
    progressBp: h.progressBp,
    red: h.red,
    yellow: h.yellow,
    green: h.green,
    suspended: h.suspended,
  };
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
  if (q.nextToken && !deps.repos.snapshots.isPageToken(q.nextToken)) {
    throw new ValidationError([{ path: 'query.nextToken', message: 'not a token this list gave' }]);
  }
  const repo = deps.repos.monitoring;
  const header = await repo.header(year, checkpoint);
  if (!header) throw new NotFoundError(`No monitoring snapshot of ${year}-${checkpoint} has been taken`, 'SNAPSHOT_NOT_FOUND');
  let departments: SnapshotDepartment[];
  if (deptId) {
    const d = await repo.department(year, checkpoint, deptId);
    departments = d ? [d] : [];
  } else {
    departments = await repo.departments(year, checkpoint);
  }
  const page = await deps.repos.snapshots.projectsPage(
    year,
    checkpoint,
    departments.map((d) => d.deptId),
    q.limit,
    q.nextToken,
  );
  return {
    year,
    checkpoint,
    asOf: header.asOf,
    benchmarkBp: header.benchmarkBp,
    takenAt: header.takenAt,
    ...(readsEverything(actor) ? { totals: totalsView(header) } : {}),
    projects: page.items.map(snapshotProjectView),
    departments: departments.map(departmentView),
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
}
