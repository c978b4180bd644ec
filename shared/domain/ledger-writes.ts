/**
 * What a ledger write changes, described as data: use cases hand these to the ledger
 * repository, which owns the guarded writes they become.
 */
import type { AuditEntry } from './audit';
import type { IdleRecord, Reclamation } from './idle-records';
import type { OutboxLine } from './email';
import type { Deduction, DeductionRule, DeductionStatus } from './ledger';
import type { Fen } from './money';

/**
 * What an entry changes, described for the ledger repository (which turns it into a guarded
 * write in the entry's transaction): a project's budget moving from the figure it was computed
 * from, never below what has been spent; or an idle-fund record given back its balance by a
 * reversal, guarded by the record still being closed by exactly the original entry.
 */
export type BalanceChange =
  | {
      kind: 'project-budget';
      projectId: string;
      beforeFen: Fen;
      afterFen: Fen;
      /** A flag the project gains with the change. */
      addFlag?: string;
      /** Refuse the change if the project has been exempted from this rule since it was read. */
      notExemptFrom?: string;
    }
  | {
      /** An idle-fund record reclaimed: guarded by the version and amount read and still open; audited on the record. */
      kind: 'record-reclaim';
      record: IdleRecord;
      reclamation: Reclamation;
      actor: string;
      recordAudit: AuditEntry;
    }
  | {
      kind: 'record-restore';
      record: IdleRecord;
      originalId: string;
      reversalId: string;
      amountFen: Fen;
      actor: string;
    };

/** The decision on an appealed entry, written with the reversal (or alone, when upheld). */
export interface DeductionDecisionWrite {
  deductionId: string;
  status: DeductionStatus;
  decision: NonNullable<Deduction['decision']>;
}

/** Who wrote it and when: the audit record's own fields (the rest comes from the change). */
export interface AuditStamp {
  auditId: string;
  actor: string;
  at: string;
}

/** A deduction or reversal as a use case describes it: no table items, only what changes. */
export interface LedgerApply {
  deduction: Deduction;
  change: BalanceChange;
  audit: AuditStamp & { action?: string };
  outbox?: { group: string; line: OutboxLine };
  /** A reversal also records the decision on the entry it compensates. */
  decides?: DeductionDecisionWrite & { audit: AuditStamp };
  /** An idle-fund sweep's entry also counts in the sweep's totals of its as-of date. */
  sweepTotals?: boolean;
}

/** A page of the ledger: by project (any year, or one) or by pool year, narrowed to a department, a rule and a status. */
export interface DeductionQuery {
  year?: number;
  deptId?: string;
  projectId?: string;
  rule?: DeductionRule;
  status?: DeductionStatus;
  limit: number;
  nextToken?: string;
}
