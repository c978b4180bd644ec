/**
 * The `idle-funds-sweep` job (SPEC §3.8, §5): at each quarter end of the policy, with the
 * policy of the as-of year, reclaims
 *   - carryovers due (origin year + carryoverYears ended),      CARRYOVER_RECLAIM
 *   - payables unpaid for more than payableYears years,          STALE_PAYABLE_RECLAIM
 *   - account balances with no movement for idleBalanceMonths,   IDLE_BALANCE_RECLAIM
 *   - deferrable projects' lag behind the quarter's benchmark,   DEFERRABLE_RECLAIM
 * (the rules: shared/domain/rules/idle-funds.ts). Records are read from the sparse sweep index
 * up to the cutoff that can be due, projects from the sparse leaf index: never a Scan.
 *
 * Each reclamation is ONE transaction (the ledger repository's apply): the ledger entry (deterministic id:
 * rule + target + as-of), the guarded change of the record or project, the pool credit, the
 * audit, the outbox line, plus the sweep's totals counter and, for a record, its own audit.
 * A rerun meets its entries (or finds the records closed and out of the index) and changes
 * nothing; two sweeps at once race on the same guards, and exactly one entry per record wins.
 */
import { shanghaiDate } from '../../domain/dates';
import type { EmailLine } from '../../domain/email';
import { idleReclaimNotes } from '../../domain/email-lines';
import { ValidationError } from '../../domain/errors';
import { type IdleKind, type IdleRecord, IDLE_KINDS, KIND_INFO, type Reclamation, recordAmount, recordId } from '../../domain/idle-records';
import { appealDeadline, type DeductionRule, type DeductionTarget, deductionId, type LedgerDeduction } from '../../domain/ledger';
import type { BalanceChange } from '../../domain/ledger-writes';
import { addToTotals, emptySweepTotals, sweepTotalsView } from '../../domain/sweep-totals';
import { isLeaf, type Project, spentAsOf } from '../../domain/project';
import {
  balanceCandidatesBefore,
  carryoverReclaim,
  deferrableReclaim,
  idleBalanceReclaim,
  maxDueOriginYear,
  payableCandidatesBefore,
  quarterOf,
  type Reclaim,
  stalePayableReclaim,
  sweepDates,
} from '../../domain/rules/idle-funds';
import type { ApplyOutcome } from '../ledger/ports';
import type { JobContext, JobDefinition, JobSummary } from './types';

export const IDLE_FUNDS_SWEEP = 'idle-funds-sweep';
const MAX_GUARD_ATTEMPTS = 5;

/** The ledger entry as this job stores it: with the appeal deadline its email named. */
export type SweepDeduction = LedgerDeduction;

export interface SweepHooks {
  /** Called before each candidate is handled (tests use it to interleave runs). */
  beforeCandidate?: (what: { kind: IdleKind | 'project'; id: string }) => unknown;
}

/** The index range that can hold records due as of the sweep: `GSI2SK < cutoff`. */
export function sweepCutoff(kind: IdleKind, ctx: Pick<JobContext, 'asOf' | 'policy'>): string {
  const p = ctx.policy.idleFunds;
  switch (kind) {
    case 'carryover':
      return String(maxDueOriginYear(ctx.asOf, p) + 1).padStart(4, '0');
    case 'payable':
      return payableCandidatesBefore(ctx.asOf, p.payableYears);
    case 'account':
      return balanceCandidatesBefore(ctx.asOf, p.idleBalanceMonths);
  }
}

function recordRule(r: IdleRecord, ctx: JobContext): Reclaim | undefined {
  const p = ctx.policy.idleFunds;
  switch (r.kind) {
    case 'carryover':
      return carryoverReclaim(r, ctx.asOf, p);
    case 'payable':
      return stalePayableReclaim(r, ctx.asOf, p);
    case 'account':
      return idleBalanceReclaim(r, ctx.asOf, p);
  }
}

function recordSubject(r: IdleRecord): string {
  switch (r.kind) {
    case 'carryover':
      return `${r.originYear}年结转资金${r.projectId ? `（项目 ${r.projectId}）` : ''}`;
    case 'payable':
      return `应付往来款（${r.counterparty}）`;
    case 'account':
      return `${r.unitName}实有账户`;
  }
}

interface Counts {
  read: Record<IdleKind | 'projects' | 'deferrableProjects', number>;
  existing: number;
  notDue: number;
  closedMeanwhile: number;
  retries: number;
  gaveUp: number;
}

export async function runIdleFundsSweep(ctx: JobContext, hooks: SweepHooks = {}): Promise<JobSummary> {
  const quarter = quarterOf(ctx.asOf, ctx.policy.idleFunds);
  if (quarter === undefined) {
    throw new ValidationError([{ path: 'asOf', message: `${ctx.asOf} is not a quarter end of the ${ctx.year} policy` }]);
  }
  const started = Date.now();
  const run = emptySweepTotals(ctx.asOf);
  const counts = emptyCounts();
  const tally = (outcome: EntryOutcome) => tallyOutcome(run, counts, outcome);

  const cutoffs: Record<string, string> = {};
  for (const kind of IDLE_KINDS) {
    cutoffs[kind] = sweepCutoff(kind, ctx);
    const walk = await ctx.deps.repos.idleFunds.forEachDue(kind, cutoffs[kind] as string, ctx.concurrency, async (r) => {
      await hooks.beforeCandidate?.({ kind, id: recordId(r) });
      tally(await reclaimRecord(ctx, r));
    });
    counts.read[kind] = walk.read;
  }

  const leaves = await ctx.deps.repos.leaves.forEach(ctx.year, ctx.concurrency, async (p) => {
    if (!p.deferrable || p.status !== 'active' || !isLeaf(p)) return;
    counts.read.deferrableProjects++;
    await hooks.beforeCandidate?.({ kind: 'project', id: p.projectId });
    tally(await reclaimDeferrable(ctx, p, quarter));
  });
  counts.read.projects = leaves.projects;

  // Everything this as-of date's sweeps have taken (this run and any before it), as stored.
  const [stored] = await ctx.deps.repos.idleFunds.sweepTotals(ctx.year, ctx.asOf);
  return {
    asOf: ctx.asOf,
    quarter,
    policyYear: ctx.year,
    deductions: run.deductions,
    amountFen: run.amountFen,
    byRule: run.byRule,
    // A list, so that a summary printed on one line counts the departments rather than spelling them out.
    byDept: sweepTotalsView(run).byDept,
    read: counts.read,
    cutoffs,
    alreadyApplied: counts.existing,
    notDue: counts.notDue,
    closedMeanwhile: counts.closedMeanwhile,
    retries: counts.retries,
    gaveUp: counts.gaveUp,
    sweepTotals: sweepTotalsView(stored ?? emptySweepTotals(ctx.asOf)),
    durationMs: Date.now() - started,
  };
}

function emptyCounts(): Counts {
  return {
    read: { carryover: 0, payable: 0, account: 0, projects: 0, deferrableProjects: 0 },
    existing: 0,
    notDue: 0,
    closedMeanwhile: 0,
    retries: 0,
    gaveUp: 0,
  };
}

function tallyOutcome(run: ReturnType<typeof emptySweepTotals>, counts: Counts, outcome: EntryOutcome): void {
  if (outcome.kind === 'applied') addToTotals(run, outcome.deduction.deptId, outcome.deduction.rule, 1, outcome.deduction.amountFen);
  else if (outcome.kind === 'exists') counts.existing++;
  else if (outcome.kind === 'none') counts.notDue++;
  else if (outcome.kind === 'closed') counts.closedMeanwhile++;
  else counts.gaveUp++;
  counts.retries += outcome.attempts - 1;
}

type EntryOutcome = { kind: 'applied'; deduction: SweepDeduction; attempts: number } | { kind: 'exists' | 'none' | 'closed' | 'gave-up'; attempts: number };

interface EntryInput {
  rule: DeductionRule;
  target: DeductionTarget;
  deptId: string;
  reclaim: Reclaim;
  beforeFen: number;
  line: Omit<
    Extract<EmailLine, { kind: 'deduction' }>,
    'kind' | 'deductionId' | 'rule' | 'amountFen' | 'budgetBeforeFen' | 'budgetAfterFen' | 'asOf' | 'appealDeadline'
  >;
  change: (d: SweepDeduction) => BalanceChange;
}

/** One ledger entry with everything that goes with it, in one transaction. */
async function applyEntry(ctx: JobContext, e: EntryInput): Promise<{ outcome: ApplyOutcome; deduction: SweepDeduction }> {
  const now = ctx.deps.clock.now();
  const id = deductionId(e.rule, e.target, ctx.asOf);
  const deduction: SweepDeduction = {
    deductionId: id,
    rule: e.rule,
    year: ctx.year,
    deptId: e.deptId,
    target: e.target,
    asOf: ctx.asOf,
    amountFen: e.reclaim.amountFen,
    budgetBeforeFen: e.beforeFen,
    budgetAfterFen: e.beforeFen - e.reclaim.amountFen,
    figures: e.reclaim.figures,
    status: 'applied',
    runId: ctx.runId,
    createdAt: now.toISOString(),
    createdBy: ctx.actor.sub,
    // As the other deduction jobs do: from the day the deduction is applied.
    appealDeadline: appealDeadline(shanghaiDate(now), ctx.policy.notifications.appealDays),
  };
  const line: EmailLine = {
    kind: 'deduction',
    deductionId: id,
    rule: e.rule,
    amountFen: deduction.amountFen,
    budgetBeforeFen: deduction.budgetBeforeFen,
    budgetAfterFen: deduction.budgetAfterFen,
    asOf: ctx.asOf,
    appealDeadline: deduction.appealDeadline,
    ...e.line,
    notes: idleReclaimNotes(e.rule, e.reclaim.figures, ctx.asOf, ctx.policy.idleFunds),
  };
  const auditId = ctx.deps.ids.next(); // the entry's audit id first, then the record's
  const outcome = await ctx.deps.repos.ledger.apply({
    deduction,
    change: e.change(deduction),
    audit: { auditId, actor: ctx.actor.sub, at: deduction.createdAt },
    outbox: { group: ctx.outboxGroup, line },
    sweepTotals: true,
  });
  return { outcome, deduction };
}

async function reclaimRecord(ctx: JobContext, first: IdleRecord): Promise<EntryOutcome> {
  const info = KIND_INFO[first.kind];
  let r: IdleRecord | undefined = first;
  for (let attempt = 1; attempt <= MAX_GUARD_ATTEMPTS; attempt++) {
    if (r?.status !== 'open') return { kind: 'closed', attempts: attempt };
    const reclaim = recordRule(r, ctx);
    if (!reclaim) return { kind: 'none', attempts: attempt };
    const current: IdleRecord = r;
    const id = recordId(current);
    const target = { kind: current.kind, [info.idField]: id } as DeductionTarget;
    const { outcome, deduction } = await applyEntry(ctx, {
      rule: info.rule,
      target,
      deptId: current.deptId,
      reclaim,
      beforeFen: recordAmount(current),
      line: { subject: recordSubject(current), subjectId: id, subjectLabel: info.zh, balanceWord: '余额' },
      change: (d) => ({
        kind: 'record-reclaim',
        record: current,
        reclamation: reclamation(d),
        actor: ctx.actor.sub,
        recordAudit: {
          auditId: ctx.deps.ids.next(),
          entityType: info.entity,
          entityId: id,
          action: `${current.kind}.reclaimed`,
          actor: ctx.actor.sub,
          at: d.createdAt,
          before: { [info.amountField]: recordAmount(current), status: 'open' },
          after: { [info.amountField]: 0, status: 'reclaimed', deductionId: d.deductionId },
        },
      }),
    });
    if (outcome === 'applied') return { kind: 'applied', deduction, attempts: attempt };
    if (outcome === 'exists') return { kind: 'exists', attempts: attempt };
    // The record moved (a PUT, a concurrent sweep of another date): read it again.
    r = await ctx.deps.repos.idleFunds.get(current.kind, id);
  }
  return { kind: 'gave-up', attempts: MAX_GUARD_ATTEMPTS };
}

function reclamation(d: SweepDeduction): Reclamation {
  return { deductionId: d.deductionId, rule: d.rule, asOf: d.asOf, amountFen: d.amountFen, ...(d.runId ? { runId: d.runId } : {}), at: d.createdAt };
}

async function reclaimDeferrable(ctx: JobContext, first: Project, quarter: number): Promise<EntryOutcome> {
  let p: Project | undefined = first;
  for (let attempt = 1; attempt <= MAX_GUARD_ATTEMPTS; attempt++) {
    if (p?.status !== 'active' || !p.deferrable) return { kind: 'closed', attempts: attempt };
    const spentAsOfFen = spentAsOf(p.spentByDay ?? {}, ctx.asOf);
    const reclaim = deferrableReclaim({ budgetFen: p.budgetFen, spentFen: p.spentFen, spentAsOfFen }, quarter, ctx.policy.idleFunds);
    if (!reclaim) return { kind: 'none', attempts: attempt };
    const current: Project = p;
    const { outcome, deduction } = await applyEntry(ctx, {
      rule: 'DEFERRABLE_RECLAIM',
      target: { kind: 'project', projectId: current.projectId },
      deptId: current.deptId,
      reclaim,
      beforeFen: current.budgetFen,
      line: {
        subject: current.name,
        subjectId: current.projectId,
        spentFen: spentAsOfFen,
        progressBp: reclaim.figures.progressBp as number,
        thresholdBp: reclaim.figures.benchmarkBp as number,
      },
      change: (d) => ({ kind: 'project-budget', projectId: current.projectId, beforeFen: d.budgetBeforeFen, afterFen: d.budgetAfterFen }),
    });
    if (outcome === 'applied') return { kind: 'applied', deduction, attempts: attempt };
    if (outcome === 'exists') return { kind: 'exists', attempts: attempt };
    p = await ctx.deps.repos.leaves.project(current.projectId);
  }
  return { kind: 'gave-up', attempts: MAX_GUARD_ATTEMPTS };
}

export const idleFundsSweepJob: JobDefinition = {
  name: IDLE_FUNDS_SWEEP,
  title: '沉淀资金清理（季度）',
  dates: (policy, year) => sweepDates(policy.idleFunds, year),
  run: (ctx) => runIdleFundsSweep(ctx),
};
