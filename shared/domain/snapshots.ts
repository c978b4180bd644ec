/**
 * A monitoring snapshot as stored (SPEC §3.5): one item per leaf project, a roll-up per
 * department and a header with the totals, immutable once written; and the suspension record a
 * snapshot leaves on a project.
 */
import type { AuditEntry } from './audit';
import type { OutboxLine } from './email';
import type { Outlook } from './monitoring';
import type { Project } from './project';
import type { Light, MonitoringFlag } from './rules/monitoring';

export interface SnapshotProject {
  year: number;
  checkpoint: string;
  asOf: string;
  projectId: string;
  deptId: string;
  name: string;
  level: 1 | 2;
  parentId?: string;
  budgetFen: number;
  spentFen: number;
  progressBp: number;
  achievementBp?: number;
  light: Light;
  flags: MonitoringFlag[];
  outlook?: Outlook;
  /** The report version the light was computed from. */
  reportVersion?: number;
  /** The project's status when the snapshot was taken (before any suspension it made). */
  status: string;
  /** This snapshot suspended the project. */
  suspended: boolean;
  runId: string;
  takenAt: string;
}

/** The figures a snapshot keeps for the whole city and for each department. */
export interface SnapshotTotals {
  year: number;
  checkpoint: string;
  asOf: string;
  projects: number;
  budgetFen: number;
  spentFen: number;
  progressBp: number;
  red: number;
  yellow: number;
  green: number;
  suspended: number;
  runId: string;
  takenAt: string;
}

export interface SnapshotDepartment extends SnapshotTotals {
  deptId: string;
}

export interface SnapshotHeader extends SnapshotTotals {
  benchmarkBp: number;
  redGapBp: number;
  deviationBp: number;
  lastCheckpoint: boolean;
  suspendOnImpossible: boolean;
  departments: number;
  /** Leaf projects left out because they were cancelled. */
  cancelled: number;
}

export interface SuspensionRecord {
  /** The snapshot that suspended the project: 'YYYY-MM-DD'. */
  since: string;
  runId?: string;
  liftedAt?: string;
  liftedBy?: string;
  comment?: string;
}

/** Where a line goes: the run's group, the department, its id. */
export interface LineTo {
  group: string;
  deptId: string;
  lineId: string;
  line: OutboxLine;
}

/** A status move (suspend, lift) with its flags and record, guarded by status and version. */
export interface StatusMove {
  project: Pick<Project, 'projectId' | 'version'>;
  from: 'active' | 'suspended';
  to: 'active' | 'suspended';
  flags: string[];
  suspension: SuspensionRecord;
  now: string;
  audit: AuditEntry;
}
