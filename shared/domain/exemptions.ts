/**
 * Exemptions from a spending rule (SPEC §3.6): a department asks before the rule's checkpoint
 * (procurement in progress, paid by contract milestones, other), the performance office
 * approves or refuses. Pure: schemas, ids, the request window and the state machine.
 */
import * as z from './zod';
import { onYear } from './dates';
import { ConflictError } from './errors';
import type { Policy } from './policy';

export const EXEMPTION_RULES = ['PROGRESS_RECLAIM'] as const;
export type ExemptionRule = (typeof EXEMPTION_RULES)[number];
export const EXEMPTION_REASONS = ['procurement', 'milestones', 'other'] as const;
export type ExemptionReason = (typeof EXEMPTION_REASONS)[number];
export const EXEMPTION_STATUSES = ['pending', 'approved', 'refused'] as const;
export type ExemptionStatus = (typeof EXEMPTION_STATUSES)[number];

export const REASON_WORDS: Record<ExemptionReason, string> = {
  procurement: '政府采购程序进行中',
  milestones: '按合同进度节点付款',
  other: '其他',
};

export const exemptionRequestSchema = z
  .strictObject({
    rule: z.enum(EXEMPTION_RULES),
    reason: z.enum(EXEMPTION_REASONS),
    note: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(1000))),
  })
  .check(
    z.refine((v) => v.reason !== 'other' || Boolean(v.note), {
      path: ['note'],
      message: 'say why when the reason is other',
      // Checked even when other fields are wrong, so that one 400 lists every problem.
      when: (payload) => {
        const v = payload.value as { reason?: unknown; note?: unknown } | undefined;
        return typeof v === 'object' && v !== null && v.reason === 'other';
      },
    }),
  );
export type ExemptionRequest = z.infer<typeof exemptionRequestSchema>;

export const exemptionDecisionSchema = z.strictObject({
  decision: z.enum(['approve', 'refuse']),
  comment: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)),
});
export type ExemptionDecision = z.infer<typeof exemptionDecisionSchema>;

export interface Exemption {
  exemptionId: string;
  projectId: string;
  year: number;
  deptId: string;
  rule: ExemptionRule;
  reason: ExemptionReason;
  note?: string;
  status: ExemptionStatus;
  /** The last day a request could be made: the rule's checkpoint in the project's year. */
  checkpoint: string;
  requestedAt: string;
  requestedBy: string;
  requestHash: string;
  decision?: { decision: 'approve' | 'refuse'; comment: string; at: string; by: string };
  version: number;
}

/** One request per project and rule: a retry finds it, a second different request is a 409. */
export function exemptionId(projectId: string, rule: ExemptionRule): string {
  return `${projectId}~${rule}`;
}

/** The checkpoint of a rule in a year, under that year's policy. */
export function ruleCheckpoint(rule: ExemptionRule, year: number, policy: Policy): string {
  switch (rule) {
    case 'PROGRESS_RECLAIM':
      return onYear(year, policy.progressReclaim.date);
  }
}

/**
 * A request is accepted up to and including the checkpoint day (the rule looks at the end of
 * that day, and its job runs after it); from the next day on it is too late.
 */
export function assertRequestWindow(today: string, checkpoint: string): void {
  if (today > checkpoint) {
    throw new ConflictError('EXEMPTION_WINDOW_CLOSED', `Exemptions had to be asked for by ${checkpoint}`, { checkpoint, today });
  }
}

/** pending → approved | refused; nothing else moves. */
export function nextExemptionStatus(current: ExemptionStatus, decision: 'approve' | 'refuse'): ExemptionStatus {
  if (current !== 'pending') {
    throw new ConflictError('ILLEGAL_TRANSITION', `The exemption is already ${current}`, { status: current });
  }
  return decision === 'approve' ? 'approved' : 'refused';
}
