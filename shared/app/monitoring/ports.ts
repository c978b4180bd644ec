/** The monitoring area's ports: reports (shared/aws/monitoring-repo.ts) and snapshots (snapshot-repo.ts). */
import type { AuditEntry } from '../../domain/audit';
import type { MonitoringReport, ReportTarget } from '../../domain/monitoring';
import type { LineTo, SnapshotDepartment, SnapshotHeader, SnapshotProject, StatusMove } from '../../domain/snapshots';
import type { Page } from '../ledger/ports';

export interface MonitoringPort {
  /** The project's target as its report is checked against it; none: the report is taken as it is. */
  reportTarget(projectId: string): Promise<ReportTarget | undefined>;
  /** 'closed': the snapshot has been taken; 'cancelled': the project was; 'raced': another save won. */
  saveReport(next: MonitoringReport, replacesVersion: number | undefined, audit: AuditEntry): Promise<'saved' | 'closed' | 'cancelled' | 'raced'>;
  reportLoader(checkpoint: string): { load(projectId: string): Promise<MonitoringReport | undefined> };
  latest(projectId: string, checkpoint: string): Promise<MonitoringReport | undefined>;
  version(projectId: string, checkpoint: string, version: number): Promise<MonitoringReport | undefined>;
  latestOfProject(projectId: string): Promise<MonitoringReport[]>;
  versions(projectId: string, checkpoint: string): Promise<{ version: number; filedAt: string; filedBy: string }[]>;
  reportedProjects(year: number, checkpoint: string): Promise<Set<string>>;
  isClosed(year: number, checkpoint: string): Promise<boolean>;
  header(year: number, checkpoint: string): Promise<SnapshotHeader | undefined>;
  departments(year: number, checkpoint: string): Promise<SnapshotDepartment[]>;
  department(year: number, checkpoint: string, deptId: string): Promise<SnapshotDepartment | undefined>;
}

export interface SnapshotsPort {
  close(year: number, checkpoint: string, runId: string, closedAt: string): Promise<boolean>;
  putProject(
    s: SnapshotProject,
    extras: { line?: LineTo; suspend?: StatusMove },
  ): Promise<{ kind: 'written' } | { kind: 'existing'; item: SnapshotProject } | { kind: 'moved' }>;
  putDepartment(d: SnapshotDepartment, line?: LineTo): Promise<void>;
  putHeader(h: SnapshotHeader): Promise<boolean>;
  isPageToken(token: string): boolean;
  projectsPage(year: number, checkpoint: string, deptIds: string[], limit: number, nextToken?: string): Promise<Page<SnapshotProject>>;
  departmentNames(): Promise<Map<string, string>>;
  moveStatus(m: StatusMove): Promise<boolean>;
}
