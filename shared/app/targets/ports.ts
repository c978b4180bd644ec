/**
 * What the targets use cases ask of the outside world (SPEC §3.4): the targets repository
 * (`deps.repos.targets`, implemented by shared/aws/targets-repo.ts) and the ex-ante seam.
 */
import type { AuditEntry } from '../../domain/audit';
import type { EmailLine } from '../../domain/email';
import type { Deduction } from '../../domain/ledger';
import type { CutRecord, ReviewRecord, StoredTarget, TargetKind, TargetRef, TargetStatus, TargetVersionRecord } from '../../domain/targets';

export type { CutRecord, ReviewRecord, StoredTarget, TargetRef } from '../../domain/targets';

export interface TargetQueueQuery {
  year: number;
  status?: TargetStatus;
  deptId?: string;
  kind?: TargetKind;
  limit: number;
  nextToken?: string;
}

/** A target as the review queue's index lists it, without its content: what a list of things to do needs. */
export type TargetState = Pick<StoredTarget, 'kind' | 'deptId' | 'projectId' | 'status' | 'updatedAt'>;

export interface TargetsRepo {
  get(ref: TargetRef): Promise<StoredTarget | undefined>;
  getReview(ref: TargetRef, reviewId: string): Promise<ReviewRecord | undefined>;
  history(ref: TargetRef): Promise<{ versions: TargetVersionRecord[]; reviews: ReviewRecord[] }>;
  /** Each write is one transaction guarded by `current`'s status and version; false: it moved. */
  save(w: { next: StoredTarget; current: StoredTarget | undefined; statusAtSave: TargetStatus; audit: AuditEntry }): Promise<boolean>;
  update(w: { next: StoredTarget; current: StoredTarget; audit: AuditEntry }): Promise<boolean>;
  review(w: {
    next: StoredTarget;
    current: StoredTarget;
    review: ReviewRecord;
    audit: AuditEntry;
    notice?: { group: string; deptId: string; lineId: string; line: EmailLine };
  }): Promise<boolean>;
  finishCut(w: { target: StoredTarget; done: CutRecord; audit: AuditEntry }): Promise<boolean>;
  queue(q: TargetQueueQuery): Promise<{ items: StoredTarget[]; nextToken?: string }>;
  statusCounts(year: number, deptId: string | undefined): Promise<Record<TargetStatus, number>>;
  /** A page of the targets of a year in one status (of one department): their states only. */
  states(q: { year: number; status: TargetStatus; deptId?: string; limit: number; nextToken?: string }): Promise<{ items: TargetState[]; nextToken?: string }>;
  published(year: number, limit: number, nextToken?: string): Promise<{ items: StoredTarget[]; nextToken?: string }>;
  publishedDepartments(year: number): Promise<number>;
  deduction(deductionId: string): Promise<Deduction | undefined>;
  sealMail(group: string, runTitle: string, now: Date, appUrl: string): Promise<void>;
}

/** The ex-ante assessment a new major project needs before its target is approved (SPEC §3.1). */
export interface ExAnteAssessment {
  assessmentId: string;
  projectId: string;
  /** Written by shared/app/ex-ante (SPEC §3.1); `reject` blocks approval. */
  outcome?: 'support' | 'adjust' | 'reject';
  weightedBp?: number;
  version?: number;
  comments?: string;
}

/**
 * The seam to the ex-ante issue: approval asks `find`; nothing here writes assessments. The
 * table-backed implementation (shared/aws/ex-ante-repo.ts) reads `keys.exAnteAssessment(projectId)`.
 */
export interface ExAnteAssessments {
  find(projectId: string): Promise<ExAnteAssessment | undefined>;
}
