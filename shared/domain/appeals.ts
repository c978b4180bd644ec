/**
 * Appeals against a deduction and their decision (SPEC §2, §4, §6). Pure.
 *
 *   applied ──appeal (own department, by the deadline)──▶ appealed
 *   appealed ──uphold (performance)──▶ upheld            the deduction stands
 *   appealed ──reverse (performance)──▶ reversed         + a NEW compensating REVERSAL entry
 *
 * Anything else is an illegal transition (409). The deadline is `appealDays` calendar days
 * after the Shanghai day the deduction was applied, inclusive; it is fixed when the
 * deduction is made (and named in its email), so a later policy change does not move it.
 */
import * as z from './zod';
import { ConflictError } from './errors';
import { appealDeadline, type Deduction, type DeductionStatus, targetFields } from './ledger';

export const appealSchema = z.strictObject({ reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)) });
export const deductionDecisionSchema = z.strictObject({
  decision: z.enum(['uphold', 'reverse']),
  comment: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)),
});
export type DeductionDecision = z.infer<typeof deductionDecisionSchema>;

/** The deadline of a deduction: the one stored with it, else computed from the day it was applied. */
export function deadlineOf(d: Deduction & { appealDeadline?: string }, appliedOn: string, appealDays: number): string {
  return d.appealDeadline ?? appealDeadline(appliedOn, appealDays);
}

export function assertAppealable(d: Deduction, today: string, deadline: string): void {
  if (d.rule === 'REVERSAL' || d.amountFen <= 0) {
    throw new ConflictError('NOT_APPEALABLE', 'A reversal gives money back; it cannot be appealed');
  }
  if (d.status !== 'applied') {
    throw new ConflictError('ILLEGAL_TRANSITION', `The deduction is ${d.status}; only an applied deduction can be appealed`, { status: d.status });
  }
  if (today > deadline) {
    throw new ConflictError('APPEAL_WINDOW_CLOSED', `The appeal deadline was ${deadline}`, { deadline, today });
  }
}

export function decidedStatus(current: DeductionStatus, decision: 'uphold' | 'reverse'): DeductionStatus {
  if (current !== 'appealed') {
    throw new ConflictError('ILLEGAL_TRANSITION', `The deduction is ${current}; only an appealed deduction can be decided`, { status: current });
  }
  return decision === 'uphold' ? 'upheld' : 'reversed';
}

/** The compensating entry's id, derived from the original: a retried decision finds it. */
export function reversalId(originalId: string): string {
  return `REVERSAL~${originalId}`;
}

/** The compensating entry: the original's amount given back to what it took from. */
export function reversalOf(original: Deduction, current: { budgetFen: number }, at: { now: string; today: string; by: string; comment: string }): Deduction {
  return {
    deductionId: reversalId(original.deductionId),
    rule: 'REVERSAL',
    // The pool the original credited is the pool the reversal debits.
    year: original.year,
    deptId: original.deptId,
    target: original.target,
    ...targetFields(original.target),
    asOf: at.today,
    amountFen: -original.amountFen,
    budgetBeforeFen: current.budgetFen,
    budgetAfterFen: current.budgetFen + original.amountFen,
    figures: {
      reversedDeductionId: original.deductionId,
      reversedRule: original.rule,
      reversedAmountFen: original.amountFen,
      reversedAsOf: original.asOf,
      originalBudgetBeforeFen: original.budgetBeforeFen,
      originalBudgetAfterFen: original.budgetAfterFen,
    },
    status: 'applied',
    reversesDeductionId: original.deductionId,
    createdAt: at.now,
    createdBy: at.by,
  };
}
