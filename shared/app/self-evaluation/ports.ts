/** What self-evaluation use cases ask of storage (SPEC §3.9). */
import type { AuditEntry } from '../../domain/audit';
import type { EmailLine } from '../../domain/email';
import type { SelfEvaluationReview, StoredSelfEvaluation } from '../../domain/evaluations';
import type { Policy } from '../../domain/policy';
import type { Project } from '../../domain/project';
import type { TargetIndicator } from '../../domain/targets';
import type { ReportIndicator } from '../../domain/monitoring';

export type WriteOutcome = 'ok' | 'conflict';

export interface SelfEvaluationsRepo {
  get(projectId: string): Promise<StoredSelfEvaluation | undefined>;
  /**
   * Writes the new state, guarded by the `rev` it was computed from (0: none yet), with an
   * immutable version item when `saveVersion`, a review item when given, and the audit record.
   */
  write(next: StoredSelfEvaluation, prevRev: number, extra: { saveVersion: boolean; review?: SelfEvaluationReview; audit: AuditEntry }): Promise<WriteOutcome>;
  history(projectId: string): Promise<{ versions: StoredSelfEvaluation[]; reviews: SelfEvaluationReview[] }>;
  list(year: number, deptId?: string): Promise<StoredSelfEvaluation[]>;
  /** Marks a department's year published (once); 'exists' when it already was. */
  publish(year: number, deptId: string, at: string, by: string, audit: AuditEntry): Promise<'ok' | 'exists'>;
  publishedDepartments(year: number): Promise<string[]>;
}

/** A project's target as self-evaluation reads it (of the leaf, or of its level-1). */
export interface TargetForEvaluation {
  projectId: string;
  status: string;
  version: number;
  indicators: TargetIndicator[];
}

/**
 * Reads of entities other areas own, through their existing repositories (projects, targets,
 * monitoring reports, policies, the outbox), so these use cases never see the table.
 */
export interface EvaluationSources {
  project(projectId: string): Promise<Project | undefined>;
  projects(ids: string[]): Promise<Map<string, Project>>;
  children(parent: Project): Promise<Project[]>;
  /** Every leaf project of a year. */
  leaves(year: number): Promise<Project[]>;
  /** Projects of a year that continue one of `ids` (continuesProjectId). */
  continuing(year: number, ids: Set<string>): Promise<Project[]>;
  target(projectId: string): Promise<TargetForEvaluation | undefined>;
  /** The project's latest monitoring report (the last checkpoint it filed). */
  latestReport(projectId: string): Promise<{ checkpoint: string; version: number; indicators: ReportIndicator[] } | undefined>;
  policy(year: number): Promise<Policy>;
  departmentName(deptId: string): Promise<string | undefined>;
  /** Adds a line to a department's email of `group` (once per lineId); seals and queues it. */
  notify(group: string, deptId: string, lineId: string, line: EmailLine): Promise<void>;
  /** Seals the group's lines into one email per department (links to `appUrl`, default the configured one). */
  seal(group: string, title: string, now: Date, appUrl?: string): Promise<number>;
}
