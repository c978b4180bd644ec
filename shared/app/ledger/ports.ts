/**
 * The ports of the ledger area: the deductions ledger, the outbox, the leaf walker and
 * exemptions. Use cases describe what changes (domain objects); the repositories in
 * shared/aws own the items, keys and guarded transactions.
 */
import type { AuditEntry } from '../../domain/audit';
import type { MailItem, OutboxLine } from '../../domain/email';
import type { Exemption, ExemptionStatus } from '../../domain/exemptions';
import type { LeafCursor, Segment } from '../../domain/job-run';
import type { Deduction, StoredDeduction } from '../../domain/ledger';
import type { AuditStamp, DeductionDecisionWrite, DeductionQuery, LedgerApply } from '../../domain/ledger-writes';
import type { Project, StoredProject } from '../../domain/project';

export type ApplyOutcome = 'applied' | 'exists' | 'guard-failed';

export type { AuditStamp } from '../../domain/ledger-writes';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface LedgerPort {
  get(deductionId: string): Promise<StoredDeduction | undefined>;
  /** ONE transaction: the entry, the guarded change, the pool credit, audit, outbox line (and a decision). */
  apply(input: LedgerApply): Promise<ApplyOutcome>;
  /**
   * Several deductions, each with all of `apply`'s items, in ONE transaction with one pool
   * credit of their sum; `lane` (0, 1, …: the caller's batch in flight) picks the pool counter,
   * so the caller's concurrent batches never touch the same one.
   */
  applyMany(inputs: LedgerApply[], lane?: number): Promise<ApplyOutcome[]>;
  appeal(id: string, appeal: NonNullable<Deduction['appeal']>, audit: AuditStamp): Promise<boolean>;
  uphold(w: DeductionDecisionWrite & { audit: AuditStamp }, mail: { group: string; deptId: string; lineId: string; line: OutboxLine }): Promise<boolean>;
  page(q: DeductionQuery): Promise<Page<StoredDeduction>>;
}

export interface OutboxPort {
  /** One line outside any transaction; false if it was there already. */
  putLine(group: string, deptId: string, lineId: string, line: OutboxLine): Promise<boolean>;
  /** One email per department for the group's lines no email covers yet. */
  seal(group: string, runTitle: string, now: Date, appUrl: string): Promise<MailItem[]>;
}

export interface LeavesPort {
  /**
   * Every leaf project of a year (or of the given shards of the index), `concurrency` at a time, from the sparse leaf index.
   * With a segment (one shard only): at most `segment.limit` of them, and `next` where the shard goes on (absent: it is done).
   */
  forEach(
    year: number,
    concurrency: number,
    fn: (p: StoredProject) => Promise<void>,
    shards?: readonly number[],
    segment?: Segment,
  ): Promise<{ projects: number; pages: number; next?: LeafCursor }>;
  /** How many shards the leaf index has: what a fanned-out run splits into. */
  readonly shards: number;
  /** One project, read strongly consistent (a guarded write failed: what is it now?). */
  project(projectId: string): Promise<StoredProject | undefined>;
  /** A level-1 project's children. */
  children(parent: Pick<Project, 'year' | 'deptId' | 'projectId'>): Promise<Project[]>;
}

export interface ExemptionsPort {
  get(id: string): Promise<Exemption | undefined>;
  create(e: Exemption, audit: AuditEntry): Promise<boolean>;
  decide(w: { exemption: Exemption; status: ExemptionStatus; decision: NonNullable<Exemption['decision']>; at: string; audit: AuditEntry }): Promise<boolean>;
  page(q: { year: number; deptId?: string; status?: ExemptionStatus; limit: number; nextToken?: string }): Promise<Page<Exemption>>;
}

/** The progress-cap job's writes on projects (flag once, cap once) and its read of a year. */
export interface ProjectFlagsPort {
  addFlag(
    p: { projectId: string; deptId: string },
    flag: string,
    record: { field: string; value: unknown; at: string },
    audit: AuditEntry,
    outbox: { group: string; lineId: string; line: OutboxLine },
  ): Promise<boolean>;
  setCap(projectId: string, capFen: number, asOf: string, audit: AuditEntry): Promise<{ set: true } | { set: false; storedFen?: number }>;
  ofYear(year: number): Promise<StoredProject[]>;
}
