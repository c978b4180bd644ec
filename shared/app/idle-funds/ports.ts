/** The idle-fund records' port (shared/aws/idle-funds-repo.ts implements it). */
import type { AuditEntry } from '../../domain/audit';
import type { IdleKind, IdleRecord, RecordOf, RecordStatus } from '../../domain/idle-records';
import type { SweepTotals } from '../../domain/sweep-totals';
import type { Page } from '../ledger/ports';

export interface IdleFundsPort {
  get<K extends IdleKind>(kind: K, id: string): Promise<RecordOf[K] | undefined>;
  getMany<K extends IdleKind>(kind: K, ids: string[]): Promise<Map<string, RecordOf[K]>>;
  page(
    kind: IdleKind,
    q: { deptId?: string | undefined; status?: RecordStatus | undefined; limit: number; nextToken?: string | undefined },
  ): Promise<Page<IdleRecord>>;
  /** `next` over the version read (or as new) with its audit record; false if it moved. */
  write(next: IdleRecord, previousVersion: number | undefined, audit: AuditEntry): Promise<boolean>;
  /** The records of a kind that may be due (sweep index `< before`), `concurrency` at a time. */
  forEachDue(kind: IdleKind, before: string, concurrency: number, fn: (r: IdleRecord) => Promise<void>): Promise<{ read: number; pages: number }>;
  /** The stored totals of a year's sweeps (or of one as-of date). */
  sweepTotals(year: number, asOf?: string): Promise<SweepTotals[]>;
  departmentIds(): Promise<Set<string>>;
  departmentExists(deptId: string): Promise<boolean>;
  /** The project's department (read strongly consistent); undefined: no such project. */
  projectDepartment(projectId: string): Promise<string | undefined>;
  /** projectId → deptId, for the projects that exist. */
  projectDepartments(projectIds: string[]): Promise<Map<string, string>>;
}
