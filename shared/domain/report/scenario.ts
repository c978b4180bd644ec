/**
 * SPEC §3.11 — what-if: the year's rules rerun under another policy on the year's stored data.
 *
 * Pure. The same rule functions the jobs call (rules/monitoring, progress-reclaim,
 * progress-cap, idle-funds, results) run over a model of the year, in the order the jobs ran:
 *
 * - every budget starts where it stood before the ledger touched it (now + every entry on it);
 * - the ledger entries no simulated step makes (target-review and clean-up cuts, seeded or
 *   later-year entries, consequences applied after a decision) are replayed as they stand, at
 *   the instant they were made, and a clean-up cut cancels its project from then on;
 * - each step that actually ran (a job and as-of of the actual policy with a run record) runs
 *   at the instant it ran; under the alternative it takes the alternative's date for the same
 *   step (the k-th checkpoint, the k-th quarter end), and when the alternative reorders the
 *   steps they take the same instants in the alternative's order;
 * - an appeal upheld by reversal gives back, at the instant of the reversal, what the
 *   simulated step took from the same target (nothing, if the alternative took nothing);
 * - a results cut (RESULTS_CUT) is recomputed with the alternative's cut for its grade.
 *
 * Under the actual policy this reproduces the ledger entry for entry, fen for fen (tested on
 * a crafted year and on the demo year); what differs under another policy is the answer.
 */
import { type Deduction, deductionId, type DeductionRule } from '../ledger';
import type { Policy } from '../policy';
import { isLeaf, type FundSource, type ProjectStatus, spentAsOf } from '../project';
import { carryoverReclaim, deferrableReclaim, idleBalanceReclaim, stalePayableReclaim } from '../rules/idle-funds';
import { assessProject, type Light, shouldSuspend } from '../rules/monitoring';
import { capCut, nextYearCap, progressCapFlag, shareCap } from '../rules/progress-cap';
import { progressReclaim } from '../rules/progress-reclaim';
import { resultsCut } from '../rules/results';
import type { ReportIndicator } from '../monitoring';

export type SimJob = 'monitoring-snapshot' | 'progress-reclaim' | 'progress-cap' | 'idle-funds-sweep';
export const SIM_JOBS: readonly SimJob[] = ['monitoring-snapshot', 'progress-reclaim', 'progress-cap', 'idle-funds-sweep'];

export interface SimProject {
  projectId: string;
  deptId: string;
  year: number;
  level: 1 | 2;
  parentId?: string;
  childCount: number;
  status: ProjectStatus;
  fundSource: FundSource;
  deferrable: boolean;
  budgetFen: number;
  spentFen: number;
  spentByDay: Record<string, number>;
  exemptRules?: string[];
  continuesProjectId?: string;
  /** When a suspension was lifted (ISO instant), if it was. */
  liftedAt?: string;
}

export type SimRecord =
  | { kind: 'carryover'; id: string; deptId: string; amountFen: number; open: boolean; originYear: number }
  | { kind: 'payable'; id: string; deptId: string; amountFen: number; open: boolean; since: string }
  | { kind: 'account'; id: string; deptId: string; amountFen: number; open: boolean; lastMovementDate: string };

/** One step that actually ran: a job at one of its dates of the actual policy, and when. */
export interface ActualStep {
  job: SimJob;
  asOf: string;
  /** The instant its (first) run started. */
  at: string;
}

export type ReportLookup = (checkpointIndex: number, projectId: string) => { indicators: readonly ReportIndicator[] } | undefined;

export interface ScenarioData {
  year: number;
  /** The policy the year actually ran under. */
  actual: Policy;
  /** The year's leaves and the next year's projects (continuations), as stored now. */
  projects: SimProject[];
  records: SimRecord[];
  /** Every ledger entry on those projects and records. */
  ledger: Deduction[];
  steps: ActualStep[];
  reports: ReportLookup;
  /** Budgets raised from the pool (allocations), and when. */
  raises: { projectId: string; amountFen: number; at: string }[];
}

/** One deduction of a run (actual or simulated), reduced to what the comparison needs. */
export interface SimDeduction {
  deductionId: string;
  rule: DeductionRule;
  deptId: string;
  targetId: string;
  asOf: string;
  amountFen: number;
  budgetBeforeFen: number;
  /** Given back by a reversal (upheld appeal). */
  reversedFen: number;
}

export interface SimLights {
  index: number;
  date: string;
  red: number;
  yellow: number;
  green: number;
  suspended: number;
  byDept: Record<string, { red: number; yellow: number; green: number }>;
}

export interface SimOutcome {
  deductions: SimDeduction[];
  lights: SimLights[];
  flagged: number;
  flaggedByDept: Record<string, number>;
}

const SIM_RULES: ReadonlySet<DeductionRule> = new Set([
  'PROGRESS_RECLAIM',
  'NEXT_YEAR_CAP',
  'CARRYOVER_RECLAIM',
  'STALE_PAYABLE_RECLAIM',
  'IDLE_BALANCE_RECLAIM',
  'DEFERRABLE_RECLAIM',
  'RESULTS_CUT',
]);
const RECORD_RULES: Record<SimRecord['kind'], DeductionRule> = {
  carryover: 'CARRYOVER_RECLAIM',
  payable: 'STALE_PAYABLE_RECLAIM',
  account: 'IDLE_BALANCE_RECLAIM',
};

interface Step {
  job: SimJob;
  index: number;
  /** The actual as-of (identifies the step in the ledger) and the simulated one. */
  actualAsOf: string;
  asOf: string;
  phase?: 'flag' | 'cap';
  at: string;
}

/** The steps of a policy's year, in calendar order, each with its position among its job's dates. */
export function policySteps(policy: Policy, year: number): Omit<Step, 'at' | 'actualAsOf'>[] {
  const on = (md: string) => `${year}-${md}`;
  const steps: (Omit<Step, 'at' | 'actualAsOf'> & { order: string })[] = [];
  // The schedules' firing minutes (infra/schedules.ts): snapshot 01:10, reclaim 01:20, cap 01:30, sweep 01:40.
  for (const [index, c] of policy.monitoring.checkpoints.entries())
    steps.push({ job: 'monitoring-snapshot', index, asOf: on(c.date), order: `${on(c.date)}1` });
  steps.push({ job: 'progress-reclaim', index: 0, asOf: on(policy.progressReclaim.date), order: `${on(policy.progressReclaim.date)}2` });
  steps.push({ job: 'progress-cap', index: 0, asOf: on(policy.progressCap.date), phase: 'flag', order: `${on(policy.progressCap.date)}3` });
  steps.push({ job: 'progress-cap', index: 1, asOf: on('12-31'), phase: 'cap', order: `${on('12-31')}3` });
  for (const [index, q] of policy.idleFunds.quarterEnds.entries()) steps.push({ job: 'idle-funds-sweep', index, asOf: on(q), order: `${on(q)}4` });
  return steps.sort((a, b) => a.order.localeCompare(b.order)).map(({ order: _o, ...s }) => s);
}

/** The steps that ran, under the alternative's dates, at the instants the actual runs took. */
export function simulatedSteps(data: Pick<ScenarioData, 'actual' | 'year' | 'steps'>, alt: Policy): Step[] {
  const ran = new Map(data.steps.map((s) => [`${s.job}@${s.asOf}`, s.at]));
  const actual = policySteps(data.actual, data.year).filter((s) => ran.has(`${s.job}@${s.asOf}`));
  const key = (s: { job: SimJob; index: number }) => `${s.job}#${s.index}`;
  const actualByKey = new Map(actual.map((s) => [key(s), s]));
  const chosen = policySteps(alt, data.year).filter((s) => actualByKey.has(key(s)));
  const instants = actual.map((s) => ran.get(`${s.job}@${s.asOf}`) as string).sort();
  return chosen.map((s, i) => ({ ...s, actualAsOf: (actualByKey.get(key(s)) as { asOf: string }).asOf, at: instants[i] as string }));
}

/** Is this ledger entry one a simulated step makes (so the simulation recomputes it)? */
function stepOf(d: Deduction, steps: Step[], year: number): Step | undefined {
  if (!SIM_RULES.has(d.rule) || d.rule === 'RESULTS_CUT' || d.figures?.appliedAfterDecision) return undefined;
  const job: SimJob = d.rule === 'PROGRESS_RECLAIM' ? 'progress-reclaim' : d.rule === 'NEXT_YEAR_CAP' ? 'progress-cap' : 'idle-funds-sweep';
  if (Number(d.asOf.slice(0, 4)) !== year) return undefined;
  return steps.find((s) => s.job === job && s.actualAsOf === d.asOf && (job !== 'progress-cap' || s.phase === 'cap'));
}

const isResultsCutOf = (d: Deduction, year: number) => d.rule === 'RESULTS_CUT' && Number(d.figures?.gradedYear) === year;

interface State {
  budget: Map<string, number>;
  record: Map<string, SimRecord>;
  cancelledAt: Map<string, string>;
  suspended: Set<string>;
  flagged: Map<string, true>;
  /** Simulated deductions by `step key|target`, so a reversal finds what the step took. */
  byStepTarget: Map<string, SimDeduction>;
  out: SimOutcome;
}

type Event =
  | { at: string; seq: number; kind: 'step'; step: Step }
  | { at: string; seq: number; kind: 'fixed'; d: Deduction }
  | { at: string; seq: number; kind: 'reversal'; d: Deduction; of: Deduction; step?: Step }
  | { at: string; seq: number; kind: 'results'; d: Deduction }
  | { at: string; seq: number; kind: 'raise'; projectId: string; amountFen: number };

/** Runs the year under `alt` (the actual policy, to reproduce the ledger). */
export function simulateYear(data: ScenarioData, alt: Policy): SimOutcome {
  const steps = simulatedSteps(data, alt);
  const actualSteps = simulatedSteps(data, data.actual);
  const state = initialState(data);
  const events = eventsOf(data, steps, actualSteps);
  for (const e of events) {
    if (e.kind === 'step') runStep(data, alt, state, e.step, e.at);
    else if (e.kind === 'fixed') applyFixed(state, e.d);
    else if (e.kind === 'reversal') applyReversal(state, e);
    else if (e.kind === 'raise') state.budget.set(e.projectId, (state.budget.get(e.projectId) ?? 0) + e.amountFen);
    else applyResults(data, alt, state, e.d);
  }
  return state.out;
}

function initialState(data: ScenarioData): State {
  const budget = new Map<string, number>();
  const record = new Map<string, SimRecord>();
  for (const p of data.projects) budget.set(p.projectId, p.budgetFen);
  for (const r of data.records) record.set(r.id, { ...r });
  const cancelledAt = new Map<string, string>();
  for (const d of data.ledger) {
    const t = targetOf(d);
    if (budget.has(t)) budget.set(t, (budget.get(t) as number) + d.amountFen);
    const r = record.get(t);
    if (r) {
      r.amountFen += d.amountFen;
      if (d.rule !== 'REVERSAL') r.open = true;
    }
    if (d.rule === 'CLEANUP_CUT') cancelledAt.set(t, d.createdAt);
  }
  for (const r of data.raises) if (budget.has(r.projectId)) budget.set(r.projectId, (budget.get(r.projectId) as number) - r.amountFen);
  // A project cancelled without a cut (nothing left to cut) is out from the start.
  for (const p of data.projects) if (p.status === 'cancelled' && !cancelledAt.has(p.projectId)) cancelledAt.set(p.projectId, '');
  return {
    budget,
    record,
    cancelledAt,
    suspended: new Set(),
    flagged: new Map(),
    byStepTarget: new Map(),
    out: { deductions: [], lights: [], flagged: 0, flaggedByDept: {} },
  };
}

const targetOf = (d: Deduction): string => d.projectId ?? d.carryoverId ?? d.payableId ?? d.accountId ?? '';

function eventsOf(data: ScenarioData, steps: Step[], actualSteps: Step[]): Event[] {
  const events: Event[] = [];
  let seq = 0;
  for (const step of steps) events.push({ at: step.at, seq: seq++, kind: 'step', step });
  for (const r of data.raises) events.push({ at: r.at, seq: seq++, kind: 'raise', projectId: r.projectId, amountFen: r.amountFen });
  const byId = new Map(data.ledger.map((d) => [d.deductionId, d]));
  for (const d of [...data.ledger].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.deductionId.localeCompare(b.deductionId))) {
    if (d.rule === 'REVERSAL') {
      const of = d.reversesDeductionId ? byId.get(d.reversesDeductionId) : undefined;
      const step = of ? stepOf(of, actualSteps, data.year) : undefined;
      const simulated = step !== undefined || (of !== undefined && isResultsCutOf(of, data.year));
      if (of && simulated) events.push({ at: d.createdAt, seq: seq++, kind: 'reversal', d, of, ...(step ? { step } : {}) });
      else events.push({ at: d.createdAt, seq: seq++, kind: 'fixed', d });
    } else if (isResultsCutOf(d, data.year)) {
      events.push({ at: d.createdAt, seq: seq++, kind: 'results', d });
    } else if (!stepOf(d, actualSteps, data.year)) {
      events.push({ at: d.createdAt, seq: seq++, kind: 'fixed', d });
    }
  }
  // Same instant: steps first (a run's entries are stamped after it started).
  return events.sort((a, b) => a.at.localeCompare(b.at) || (a.kind === 'step' ? 0 : 1) - (b.kind === 'step' ? 0 : 1) || a.seq - b.seq);
}

function applyFixed(state: State, d: Deduction): void {
  const t = targetOf(d);
  if (state.budget.has(t)) state.budget.set(t, (state.budget.get(t) as number) - d.amountFen);
  const r = state.record.get(t);
  if (r) {
    // Reclaimed (closed) or restored by a reversal (left alone by the sweeps): out either way.
    r.amountFen -= d.amountFen;
    r.open = false;
  }
}

function applyReversal(state: State, e: Extract<Event, { kind: 'reversal' }>): void {
  const stepKey = e.step ? `${e.step.job}#${e.step.index}` : `RESULTS#${e.of.deductionId}`;
  const sim = state.byStepTarget.get(`${stepKey}|${targetOf(e.of)}`);
  if (!sim || sim.reversedFen > 0) return;
  sim.reversedFen = sim.amountFen;
  const t = sim.targetId;
  if (state.budget.has(t)) state.budget.set(t, (state.budget.get(t) as number) + sim.amountFen);
  const r = state.record.get(t);
  if (r) {
    r.amountFen += sim.amountFen;
    r.open = false; // restored: the sweeps leave it alone
  }
}

function take(state: State, stepKey: string, d: Omit<SimDeduction, 'reversedFen'>): void {
  const sim: SimDeduction = { ...d, reversedFen: 0 };
  state.out.deductions.push(sim);
  state.byStepTarget.set(`${stepKey}|${d.targetId}`, sim);
  if (state.budget.has(d.targetId)) state.budget.set(d.targetId, d.budgetBeforeFen - d.amountFen);
}

const projectIdTarget = (projectId: string) => ({ kind: 'project' as const, projectId });

function statusAt(state: State, p: SimProject, at: string): ProjectStatus {
  const cancelled = state.cancelledAt.get(p.projectId);
  if (cancelled !== undefined && cancelled <= at) return 'cancelled';
  if (state.suspended.has(p.projectId) && !(p.liftedAt && p.liftedAt <= at)) return 'suspended';
  return 'active';
}

function runStep(data: ScenarioData, alt: Policy, state: State, step: Step, at: string): void {
  const leaves = data.projects.filter((p) => p.year === data.year && isLeaf(p));
  const key = `${step.job}#${step.index}`;
  if (step.job === 'monitoring-snapshot') {
    snapshotStep(data, alt, state, step, leaves, at);
    return;
  }
  if (step.job === 'progress-reclaim') {
    for (const p of leaves) {
      if (statusAt(state, p, at) === 'cancelled') continue;
      const budgetFen = state.budget.get(p.projectId) as number;
      const exempted = (p.exemptRules ?? []).includes('PROGRESS_RECLAIM');
      const r = progressReclaim(
        { budgetFen, spentAsOfFen: spentAsOf(p.spentByDay, step.asOf), spentNowFen: p.spentFen, fundSource: p.fundSource, exempted },
        alt.progressReclaim,
      );
      if (r.outcome === 'reclaim')
        take(state, key, {
          deductionId: deductionId('PROGRESS_RECLAIM', projectIdTarget(p.projectId), step.asOf),
          rule: 'PROGRESS_RECLAIM',
          deptId: p.deptId,
          targetId: p.projectId,
          asOf: step.asOf,
          amountFen: r.amountFen,
          budgetBeforeFen: budgetFen,
        });
    }
    return;
  }
  if (step.job === 'progress-cap') {
    if (step.phase === 'flag') flagStep(alt, state, step, leaves, at);
    else capStep(data, state, step, leaves, at);
    return;
  }
  sweepStep(alt, state, step, leaves, at);
}

function snapshotStep(data: ScenarioData, alt: Policy, state: State, step: Step, leaves: SimProject[], at: string): void {
  const cp = alt.monitoring.checkpoints[step.index];
  if (!cp) return;
  const last = step.index === alt.monitoring.checkpoints.length - 1;
  const lights: SimLights = { index: step.index, date: step.asOf, red: 0, yellow: 0, green: 0, suspended: 0, byDept: {} };
  for (const p of leaves) {
    const status = statusAt(state, p, at);
    if (status === 'cancelled') continue;
    const budgetFen = state.budget.get(p.projectId) as number;
    const a = assessProject(
      { budgetFen, spentFen: spentAsOf(p.spentByDay, step.asOf), status, report: data.reports(step.index, p.projectId) },
      cp.benchmarkBp,
      alt.monitoring,
    );
    const light: Light = a.light;
    lights[light]++;
    (lights.byDept[p.deptId] ??= { red: 0, yellow: 0, green: 0 })[light]++;
    if (shouldSuspend(a, { lastCheckpoint: last, suspendOnImpossible: alt.monitoring.suspendOnImpossible, status })) {
      state.suspended.add(p.projectId);
      lights.suspended++;
    }
  }
  state.out.lights.push(lights);
}

function flagStep(alt: Policy, state: State, step: Step, leaves: SimProject[], at: string): void {
  for (const p of leaves) {
    const budgetFen = state.budget.get(p.projectId) as number;
    if (statusAt(state, p, at) === 'cancelled' || budgetFen <= 0 || state.flagged.has(p.projectId)) continue;
    if (!progressCapFlag({ budgetFen, spentAsOfFen: spentAsOf(p.spentByDay, step.asOf) }, alt.progressCap).flag) continue;
    state.flagged.set(p.projectId, true);
    state.out.flagged++;
    state.out.flaggedByDept[p.deptId] = (state.out.flaggedByDept[p.deptId] ?? 0) + 1;
  }
}

function capStep(data: ScenarioData, state: State, step: Step, leaves: SimProject[], at: string): void {
  const caps = new Map<string, number>();
  for (const p of leaves) if (state.flagged.has(p.projectId)) caps.set(p.projectId, nextYearCap(spentAsOf(p.spentByDay, step.asOf)));
  if (caps.size === 0) return;
  const next = data.projects.filter((p) => p.year === data.year + 1);
  const children = new Map<string, SimProject[]>();
  for (const p of next) if (p.parentId) children.set(p.parentId, [...(children.get(p.parentId) ?? []), p]);
  const key = `${step.job}#${step.index}`;
  for (const np of next) {
    const cap = np.continuesProjectId ? caps.get(np.continuesProjectId) : undefined;
    if (cap === undefined) continue;
    const jobs: [SimProject, number][] = [];
    if (isLeaf(np)) jobs.push([np, cap]);
    else {
      const kids = (children.get(np.projectId) ?? []).sort((a, b) => a.projectId.localeCompare(b.projectId));
      const shares = shareCap(
        cap,
        kids.map((k) => state.budget.get(k.projectId) as number),
      );
      for (const [i, k] of kids.entries()) jobs.push([k, shares[i] as number]);
    }
    for (const [leaf, allowanceFen] of jobs) {
      if (statusAt(state, leaf, at) === 'cancelled') continue;
      const budgetFen = state.budget.get(leaf.projectId) as number;
      const r = capCut({ budgetFen, spentFen: leaf.spentFen, allowanceFen });
      if (r.amountFen > 0)
        take(state, key, {
          deductionId: deductionId('NEXT_YEAR_CAP', projectIdTarget(leaf.projectId), step.asOf),
          rule: 'NEXT_YEAR_CAP',
          deptId: leaf.deptId,
          targetId: leaf.projectId,
          asOf: step.asOf,
          amountFen: r.amountFen,
          budgetBeforeFen: budgetFen,
        });
    }
  }
}

function sweepStep(alt: Policy, state: State, step: Step, leaves: SimProject[], at: string): void {
  const quarter = step.index + 1;
  const key = `${step.job}#${step.index}`;
  const p = alt.idleFunds;
  for (const r of state.record.values()) {
    if (!r.open) continue;
    const reclaim =
      r.kind === 'carryover'
        ? carryoverReclaim({ originYear: r.originYear, balanceFen: r.amountFen }, step.asOf, p)
        : r.kind === 'payable'
          ? stalePayableReclaim({ since: r.since, amountFen: r.amountFen }, step.asOf, p)
          : idleBalanceReclaim({ lastMovementDate: r.lastMovementDate, balanceFen: r.amountFen }, step.asOf, p);
    if (!reclaim) continue;
    const rule = RECORD_RULES[r.kind];
    const target = { kind: r.kind, [`${r.kind}Id`]: r.id } as Parameters<typeof deductionId>[1];
    take(state, key, {
      deductionId: deductionId(rule, target, step.asOf),
      rule,
      deptId: r.deptId,
      targetId: r.id,
      asOf: step.asOf,
      amountFen: reclaim.amountFen,
      budgetBeforeFen: r.amountFen,
    });
    r.amountFen -= reclaim.amountFen;
    r.open = false;
  }
  for (const pr of leaves) {
    if (!pr.deferrable || statusAt(state, pr, at) !== 'active') continue;
    const budgetFen = state.budget.get(pr.projectId) as number;
    const reclaim = deferrableReclaim({ budgetFen, spentFen: pr.spentFen, spentAsOfFen: spentAsOf(pr.spentByDay, step.asOf) }, quarter, p);
    if (reclaim)
      take(state, key, {
        deductionId: deductionId('DEFERRABLE_RECLAIM', projectIdTarget(pr.projectId), step.asOf),
        rule: 'DEFERRABLE_RECLAIM',
        deptId: pr.deptId,
        targetId: pr.projectId,
        asOf: step.asOf,
        amountFen: reclaim.amountFen,
        budgetBeforeFen: budgetFen,
      });
  }
}

/** A results cut recomputed with the alternative's cut for its grade (applyResultsCut's formula). */
function applyResults(data: ScenarioData, alt: Policy, state: State, d: Deduction): void {
  const t = targetOf(d);
  const budgetFen = state.budget.get(t);
  const leaf = data.projects.find((p) => p.projectId === t);
  if (budgetFen === undefined || !leaf) return;
  const grade = String(d.figures?.grade ?? '');
  const cutBp = grade === '差' ? alt.results.poorCutBp : grade === '中' ? alt.results.fairCutBp : Number(d.figures?.cutBp ?? 0);
  const raised = typeof d.figures?.raisedFen === 'number' ? d.figures.raisedFen : undefined;
  const base = raised === undefined ? budgetFen : Math.min(raised, budgetFen);
  const share = resultsCut({ budgetFen: base, spentFen: 0 }, cutBp).amountFen;
  const amountFen = Math.max(0, Math.min(share, budgetFen - Math.max(0, leaf.spentFen)));
  if (amountFen > 0)
    take(state, `RESULTS#${d.deductionId}`, {
      deductionId: d.deductionId,
      rule: 'RESULTS_CUT',
      deptId: d.deptId,
      targetId: t,
      asOf: d.asOf,
      amountFen,
      budgetBeforeFen: budgetFen,
    });
}

/** The ledger's own entries of the simulated steps, in the same reduced shape. */
export function actualDeductions(data: ScenarioData): SimDeduction[] {
  const steps = simulatedSteps(data, data.actual);
  const reversed = new Map<string, number>();
  for (const d of data.ledger) if (d.rule === 'REVERSAL' && d.reversesDeductionId) reversed.set(d.reversesDeductionId, -d.amountFen);
  return data.ledger
    .filter((d) => stepOf(d, steps, data.year) || isResultsCutOf(d, data.year))
    .map((d) => ({
      deductionId: d.deductionId,
      rule: d.rule,
      deptId: d.deptId,
      targetId: targetOf(d),
      asOf: d.asOf,
      amountFen: d.amountFen,
      budgetBeforeFen: d.budgetBeforeFen,
      reversedFen: reversed.get(d.deductionId) ?? 0,
    }));
}

/** Entry-for-entry comparison: the ones that differ (id, amount or budget before), at most `limit`. */
export function ledgerMismatches(
  actual: SimDeduction[],
  simulated: SimDeduction[],
  limit = 20,
): { deductionId: string; actualFen?: number; simulatedFen?: number }[] {
  const sim = new Map(simulated.map((d) => [d.deductionId, d]));
  const out: { deductionId: string; actualFen?: number; simulatedFen?: number }[] = [];
  for (const a of actual) {
    const s = sim.get(a.deductionId);
    if (!s || s.amountFen !== a.amountFen || s.budgetBeforeFen !== a.budgetBeforeFen || s.reversedFen !== a.reversedFen)
      out.push({ deductionId: a.deductionId, actualFen: a.amountFen, ...(s ? { simulatedFen: s.amountFen } : {}) });
    sim.delete(a.deductionId);
  }
  for (const s of sim.values()) out.push({ deductionId: s.deductionId, simulatedFen: s.amountFen });
  return out.slice(0, limit);
}
