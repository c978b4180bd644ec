/**
 * Applying a deduction: ONE TransactWriteItems with
 *   1. the immutable ledger entry (deterministic id, attribute_not_exists),
 *   2. the change to what it takes from (a project's budget, guarded by the budget it was
 *      computed from and never below what has been spent — or a balance, built by the caller),
 *   3. the pool credit of the as-of year,
 *   4. the audit record,
 *   5. the outbox line that the department's email will list.
 * A rerun finds the entry and changes nothing; a failed guard means the project moved, and the
 * caller recomputes from a fresh read.
 */
import type { AuditEntry } from '../domain/audit';
import { type Deduction, targetFields, targetId } from '../domain/ledger';
import { auditPut } from './audit';
import { type Db, getItem, transact, type TransactItem } from './db';
import { keys } from './keys';
import { type OutboxLine, outboxLinePut } from './outbox';
import { poolCredit } from './pool';
import { stripKeys } from './projects-repo';

export type ApplyOutcome = 'applied' | 'exists' | 'guard-failed';

export interface ApplyDeductionInput {
  deduction: Deduction;
  /** The update of what it takes from, guarded (see projectBudgetChange). */
  targetChange: TransactItem;
  audit: Omit<AuditEntry, 'entityType' | 'entityId' | 'action' | 'before' | 'after'> & { action?: string };
  /** The outbox group (a job's `job~asOf`, or one review) and the line for the email. */
  outbox?: { group: string; line: OutboxLine };
  /** Extra items that must happen with it (e.g. a flag on another item). */
  extra?: TransactItem[];
}

export function deductionItem(d: Deduction): Record<string, unknown> {
  return {
    ...keys.deduction(d.deductionId),
    ...keys.deductionYearIndex(d.year, d.deptId, d.asOf, d.deductionId),
    ...keys.deductionTargetIndex(d.target.kind, targetId(d.target), d.asOf, d.deductionId),
    entity: 'Deduction',
    v: 1,
    ...d,
    ...targetFields(d.target),
  };
}

export async function applyDeduction(db: Db, input: ApplyDeductionInput): Promise<ApplyOutcome> {
  const d = input.deduction;
  const items: TransactItem[] = [
    {
      Put: {
        TableName: db.table,
        Item: deductionItem(d),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    },
    input.targetChange,
    poolCredit(db, d.year, d.deductionId, d.rule, d.amountFen),
    auditPut(db, keys.deduction(d.deductionId).PK, {
      ...input.audit,
      entityType: 'Deduction',
      entityId: d.deductionId,
      action: input.audit.action ?? `deduction.${d.rule === 'REVERSAL' ? 'reversal' : 'applied'}`,
      before: { budgetFen: d.budgetBeforeFen },
      after: { budgetFen: d.budgetAfterFen, amountFen: d.amountFen, rule: d.rule },
    }),
    ...(input.outbox ? [outboxLinePut(db, input.outbox.group, d.deptId, d.deductionId, input.outbox.line)] : []),
    ...(input.extra ?? []),
  ];
  const outcome = await transact(db, items);
  if (outcome.ok) return 'applied';
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return 'exists';
  return 'guard-failed';
}

/**
 * A project's budget moving from `beforeFen` to `afterFen`, guarded: the budget is still what
 * the amount was computed from, and the new budget is not below what has been spent (spending
 * only rises through a guarded write, so this holds at commit time).
 */
export function projectBudgetChange(
  db: Db,
  p: { projectId: string; beforeFen: number; afterFen: number; now: string; addFlag?: string; notExemptFrom?: string },
): TransactItem {
  const values: Record<string, unknown> = { ':before': p.beforeFen, ':after': p.afterFen, ':now': p.now, ':one': 1 };
  let condition = 'attribute_exists(PK) AND budgetFen = :before AND spentFen <= :after';
  if (p.notExemptFrom) {
    // An exemption approved after the project was read must still win.
    condition += ' AND (attribute_not_exists(exemptRules) OR NOT contains(exemptRules, :exemptRule))';
    values[':exemptRule'] = p.notExemptFrom;
  }
  let update = 'SET budgetFen = :after, updatedAt = :now ADD version :one';
  if (p.addFlag) {
    update = 'SET budgetFen = :after, updatedAt = :now, flags = list_append(if_not_exists(flags, :empty), :flag) ADD version :one';
    values[':flag'] = [p.addFlag];
    values[':empty'] = [];
  }
  return {
    Update: {
      TableName: db.table,
      Key: keys.project(p.projectId),
      UpdateExpression: update,
      ConditionExpression: condition,
      ExpressionAttributeValues: values,
    },
  };
}

export async function getDeduction(db: Db, deductionId: string): Promise<Deduction | undefined> {
  const item = await getItem(db, keys.deduction(deductionId));
  return item ? stripKeys<Deduction>(item) : undefined;
}
