/**
 * The `progress-reclaim` job (SPEC §3.6, §5): as of the policy's progressReclaim.date, every
 * leaf project of the year that is not cancelled and not exempt loses the lag behind the
 * threshold times the ratio (shared/domain/rules/progress-reclaim.ts). Reads the sparse leaf
 * index (never a Scan) with bounded concurrency; each deduction's items in one transaction
 * (deductions that arrive together share it: batch-apply.ts); safe to rerun and to run twice
 * at once (deterministic ledger ids).
 */
import { onYear } from '../../domain/dates';
import { progressReclaimNotes } from '../../domain/email-lines';
import type { LeafCursor } from '../../domain/job-run';
import { isLeaf, spentAsOf } from '../../domain/project';
import { progressReclaim } from '../../domain/rules/progress-reclaim';
import { type ComputedCut, cutProject, type StoredProject, Tally } from '../ledger/cut-project';
import { batchingApply, DEFAULT_BATCH } from '../ledger/batch-apply';
import type { JobContext, JobDefinition, JobSummary } from './types';

export const PROGRESS_RECLAIM = 'PROGRESS_RECLAIM';

export interface ProgressReclaimHooks {
  /** Called before each project is handled (tests use it to kill a run half way). */
  beforeProject?: (p: StoredProject) => void | Promise<void>;
}

export function isExempted(p: StoredProject, rule: string): boolean {
  return (p.exemptRules ?? []).includes(rule);
}

export async function runProgressReclaim(ctx: JobContext, hooks: ProgressReclaimHooks = {}): Promise<JobSummary> {
  const tally = new Tally();
  const counts: Counts = {
    onTrack: 0,
    exemptFundSource: 0,
    exempted: 0,
    zeroBudget: 0,
    underOneFen: 0,
    nothingLeft: 0,
    cancelled: 0,
    alreadyApplied: 0,
    retries: 0,
    gaveUp: 0,
  };
  // Deductions are written DEFAULT_BATCH.size to a transaction, ctx.concurrency transactions in flight.
  const cut = { ...ctx, apply: batchingApply(ctx.deps.repos.ledger, DEFAULT_BATCH) };
  const walk = await ctx.deps.repos.leaves.forEach(
    ctx.year,
    ctx.concurrency * DEFAULT_BATCH.size,
    async (project) => {
      await hooks.beforeProject?.(project);
      if (!isLeaf(project)) return;
      if (project.status === 'cancelled') {
        counts.cancelled++;
        return;
      }
      const result = await cutProject(
        cut,
        'PROGRESS_RECLAIM',
        project,
        (p) => reclaimCut(ctx, p),
        // An exemption approved after the project was read must still win.
        { notExemptFrom: PROGRESS_RECLAIM },
      );
      counts.retries += result.attempts - 1;
      switch (result.outcome) {
        case 'applied':
          tally.add(result.deduction);
          break;
        case 'exists':
          counts.alreadyApplied++;
          break;
        case 'gave-up':
          counts.gaveUp++;
          break;
        case 'none':
          bump(counts, result.reason);
          break;
      }
    },
    ctx.shards,
    ctx.segment,
  );
  if (counts.gaveUp > 0) {
    throw new Error(`${counts.gaveUp} projects kept changing while the run computed their deduction; run it again`);
  }
  return summaryOf(ctx, walk, tally, counts);
}

type Counts = Record<
  'onTrack' | 'exemptFundSource' | 'exempted' | 'zeroBudget' | 'underOneFen' | 'nothingLeft' | 'cancelled' | 'alreadyApplied' | 'retries' | 'gaveUp',
  number
>;

/** The cut of §3.6 for a project as read (or the reason for none). */
function reclaimCut(ctx: JobContext, p: StoredProject): ComputedCut | { none: string } {
  // Re-read after a failed guard: it may have been cancelled or taken children since.
  if (p.status === 'cancelled' || !isLeaf(p)) return { none: 'gone' };
  const r = progressReclaim(
    {
      budgetFen: p.budgetFen,
      spentAsOfFen: spentAsOf(p.spentByDay ?? {}, ctx.asOf),
      spentNowFen: p.spentFen,
      fundSource: p.fundSource,
      exempted: isExempted(p, PROGRESS_RECLAIM),
    },
    ctx.policy.progressReclaim,
  );
  if (r.outcome !== 'reclaim') return { none: r.outcome };
  return {
    amountFen: r.amountFen,
    budgetAfterFen: r.budgetAfterFen,
    figures: { ...r.figures },
    line: {
      spentFen: r.figures.spentAsOfFen,
      progressBp: r.figures.progressBp,
      thresholdBp: r.figures.thresholdBp,
      notes: progressReclaimNotes(r.figures),
    },
  };
}

function summaryOf(ctx: JobContext, walk: { projects: number; pages: number; next?: LeafCursor }, tally: Tally, counts: Counts): JobSummary {
  const policy = ctx.policy.progressReclaim;
  return {
    asOf: ctx.asOf,
    checkpoint: onYear(ctx.year, policy.date),
    thresholdBp: policy.thresholdBp,
    ratioBp: policy.ratioBp,
    exemptFundSources: policy.exemptFundSources,
    projects: walk.projects,
    pages: walk.pages,
    deductions: tally.deductions,
    amountFen: tally.amountFen,
    alreadyApplied: counts.alreadyApplied,
    onTrack: counts.onTrack,
    skippedExempt: counts.exempted + counts.exemptFundSource,
    skippedExemptFundSource: counts.exemptFundSource,
    skippedExempted: counts.exempted,
    skippedZeroBudget: counts.zeroBudget,
    skippedCancelled: counts.cancelled,
    underOneFen: counts.underOneFen,
    nothingLeft: counts.nothingLeft,
    retries: counts.retries,
    byDept: tally.byDept,
    ...(walk.next ? { next: walk.next } : {}),
  };
}

function bump(counts: Record<string, number>, reason: string) {
  const key = {
    'on-track': 'onTrack',
    'exempt-fund-source': 'exemptFundSource',
    exempted: 'exempted',
    'zero-budget': 'zeroBudget',
    'under-one-fen': 'underOneFen',
    'nothing-left': 'nothingLeft',
    gone: 'cancelled',
  }[reason];
  if (key) counts[key] = (counts[key] ?? 0) + 1;
}

export function makeProgressReclaimJob(hooks: ProgressReclaimHooks = {}): JobDefinition {
  return {
    name: 'progress-reclaim',
    title: '支出进度收回（progress-reclaim）',
    dates: (policy, year) => [onYear(year, policy.progressReclaim.date)],
    run: (ctx) => runProgressReclaim(ctx, hooks),
    fanOut: { same: ['thresholdBp', 'ratioBp'] },
  };
}

export const progressReclaimJob = makeProgressReclaimJob();
