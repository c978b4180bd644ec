/**
 * The one compute → apply → retry path every project deduction takes (the jobs of §3.6 and
 * §3.7, the target-review cut, clean-up and results cuts): taking a deduction from a leaf project in ONE
 * transaction (the ledger repository's `apply`: entry, guarded budget change, pool credit,
 * audit, outbox line),
 * and when the guard fails because the project moved since it was read (a payment, another
 * deduction, an exemption approved), reading it again and recomputing, a bounded number of
 * times. A rerun meets its own entry ('exists') and changes nothing.
 */
import { shanghaiDate } from '../../domain/dates';
import type { EmailLine } from '../../domain/email';
import { appealDeadline, type Deduction, type DeductionRule, deductionId, type LedgerDeduction, ruleWords } from '../../domain/ledger';
import type { StoredProject } from '../../domain/project';
import type { Principal } from '../../domain/access';
import type { Policy } from '../../domain/policy';
import type { AppDeps } from '../context';
import type { LedgerApply } from '../../domain/ledger-writes';
import type { ApplyOutcome } from './ports';

/** Who cuts, as of when, under which policy, and which email the lines join. */
export interface CutRun {
  deps: AppDeps;
  asOf: string;
  /** The fiscal year whose pool is credited. */
  year: number;
  policy: Policy;
  actor: Principal;
  /** The outbox group: a job's `job~asOf`, or one decision's group. */
  outboxGroup: string;
  runId?: string;
  /** How the deduction is written: the ledger's `apply` unless a job batches (batch-apply.ts). */
  apply?: (input: LedgerApply) => Promise<ApplyOutcome>;
}

export const MAX_GUARD_ATTEMPTS = 5;

export type { LedgerDeduction, StoredProject };

export interface ComputedCut {
  amountFen: number;
  budgetAfterFen: number;
  figures: Deduction['figures'];
  /** Email figures (spent, progress, threshold) and notes in words. */
  line: Pick<Extract<EmailLine, { kind: 'deduction' }>, 'spentFen' | 'progressBp' | 'thresholdBp' | 'notes'>;
}

export type ProjectCutOutcome =
  | { outcome: 'applied'; deduction: LedgerDeduction; attempts: number }
  | { outcome: 'exists'; attempts: number }
  | { outcome: 'none'; attempts: number; reason: string }
  | { outcome: 'gave-up'; attempts: number };

/**
 * Applies `rule` to a project: `compute` gives the cut from the project as read (or a reason
 * for none). On a failed guard the project is read again (strongly consistent) and `compute`
 * runs again. `guard` adds conditions on the project item (e.g. not exempted since).
 */
export async function cutProject(
  ctx: CutRun,
  rule: DeductionRule,
  first: StoredProject,
  compute: (p: StoredProject) => ComputedCut | { none: string },
  opts: { notExemptFrom?: string; discriminator?: string } = {},
): Promise<ProjectCutOutcome> {
  const { deps } = ctx;
  const apply = ctx.apply ?? ((input: LedgerApply) => deps.repos.ledger.apply(input));
  let project: StoredProject | undefined = first;
  for (let attempt = 1; attempt <= MAX_GUARD_ATTEMPTS; attempt++) {
    if (!project) return { outcome: 'none', attempts: attempt, reason: 'gone' };
    const cut = compute(project);
    if ('none' in cut) return { outcome: 'none', attempts: attempt, reason: cut.none };
    const deduction = entryOf(ctx, rule, project, cut, opts.discriminator);
    const outcome = await apply({
      deduction,
      change: {
        kind: 'project-budget',
        projectId: project.projectId,
        beforeFen: project.budgetFen,
        afterFen: cut.budgetAfterFen,
        ...(opts.notExemptFrom ? { notExemptFrom: opts.notExemptFrom } : {}),
      },
      audit: { auditId: deps.ids.next(), actor: ctx.actor.sub, at: deduction.createdAt },
      outbox: { group: ctx.outboxGroup, line: lineOf(ctx, project, deduction, cut) },
    });
    if (outcome === 'applied') return { outcome, deduction, attempts: attempt };
    if (outcome === 'exists') return { outcome, attempts: attempt };
    project = await deps.repos.leaves.project(project.projectId);
  }
  return { outcome: 'gave-up', attempts: MAX_GUARD_ATTEMPTS };
}

/** The immutable entry: deterministic id (rule + project + as-of), the figures, the deadline. */
function entryOf(ctx: CutRun, rule: DeductionRule, project: StoredProject, cut: ComputedCut, discriminator?: string): LedgerDeduction {
  const now = ctx.deps.clock.now();
  const target = { kind: 'project' as const, projectId: project.projectId };
  return {
    deductionId: deductionId(rule, target, ctx.asOf, discriminator),
    rule,
    year: ctx.year,
    deptId: project.deptId,
    target,
    projectId: project.projectId,
    asOf: ctx.asOf,
    amountFen: cut.amountFen,
    budgetBeforeFen: project.budgetFen,
    budgetAfterFen: cut.budgetAfterFen,
    figures: cut.figures,
    status: 'applied',
    ...(ctx.runId ? { runId: ctx.runId } : {}),
    createdAt: now.toISOString(),
    createdBy: ctx.actor.sub,
    appealDeadline: appealDeadline(shanghaiDate(now), ctx.policy.notifications.appealDays),
  };
}

/** The line the department's email lists for it. */
function lineOf(ctx: CutRun, project: StoredProject, d: LedgerDeduction, cut: ComputedCut): EmailLine {
  return {
    kind: 'deduction',
    deductionId: d.deductionId,
    rule: d.rule,
    ruleWords: ruleWords(d.rule, d.figures, d.asOf),
    subject: project.name,
    subjectId: project.projectId,
    amountFen: d.amountFen,
    budgetBeforeFen: d.budgetBeforeFen,
    budgetAfterFen: d.budgetAfterFen,
    asOf: ctx.asOf,
    appealDeadline: d.appealDeadline,
    ...cut.line,
  };
}

/** Per-department totals for a run summary. */
export class Tally {
  deductions = 0;
  amountFen = 0;
  byDept: Record<string, { deductions: number; amountFen: number }> = {};
  add(d: { deptId: string; amountFen: number }) {
    this.deductions++;
    this.amountFen += d.amountFen;
    const t = (this.byDept[d.deptId] ??= { deductions: 0, amountFen: 0 });
    t.deductions++;
    t.amountFen += d.amountFen;
  }
}
