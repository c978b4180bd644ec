/**
 * The `progress-cap` job (SPEC §3.7, §5). Two as-of dates a year:
 *
 * - the policy's progressCap.date [11-30]: every leaf project (not cancelled) whose spending as
 *   of the date is below the threshold gets the flag NEXT_YEAR_AT_ACTUAL, recorded with its
 *   figures (`nextYearAtActual`), audited, and its department is told (a 'notice' line).
 *   Adding the flag is conditional (NOT contains), so reruns and concurrent runs add it once.
 * - 12-31: each flagged leaf's cap becomes the year's actual spending (`nextYearCapFen`, set
 *   once), and every next-year project that continues it (`continuesProjectId`) and has a
 *   budget above the cap is cut to the cap with a NEXT_YEAR_CAP deduction (pool of the as-of
 *   year, SPEC §2), emailed. A continuing level-1 with children shares the cap among its
 *   leaves (shareCap).
 *
 * The continuing projects are found by one paged Query of the next year's projects partition
 * (GSI1 PROJS#year+1), only when some project was capped: it costs (next year's projects /
 * ~1 MB page) requests instead of one query per capped project, and needs no extra index.
 */
import { forEachLimit } from '../../domain/concurrency';
import { onYear } from '../../domain/dates';
import { capCutNotes, capFlagLine } from '../../domain/email-lines';
import { isLeaf, type Project, spentAsOf } from '../../domain/project';
import { capCut, NEXT_YEAR_AT_ACTUAL, nextYearCap, progressCapFlag, shareCap } from '../../domain/rules/progress-cap';
import { cutProject, type StoredProject, Tally } from '../ledger/cut-project';
import type { JobContext, JobDefinition, JobSummary } from './types';

export const YEAR_END = '12-31';

export interface FlagRecord {
  asOf: string;
  budgetFen: number;
  spentAsOfFen: number;
  progressBp: number;
  thresholdBp: number;
  runId: string;
}

type CapProject = StoredProject & { nextYearAtActual?: FlagRecord; nextYearCapFen?: number; nextYearCapAsOf?: string };

export async function runProgressCap(ctx: JobContext): Promise<JobSummary> {
  const flagDate = onYear(ctx.year, ctx.policy.progressCap.date);
  const yearEnd = onYear(ctx.year, YEAR_END);
  const summary: JobSummary = { asOf: ctx.asOf, thresholdBp: ctx.policy.progressCap.thresholdBp };
  if (ctx.asOf === flagDate) Object.assign(summary, await flagPhase(ctx));
  if (ctx.asOf === yearEnd) Object.assign(summary, await capPhase(ctx));
  return summary;
}

async function flagPhase(ctx: JobContext) {
  const policy = ctx.policy.progressCap;
  const c = { flagged: 0, alreadyFlagged: 0, atOrAbove: 0, zeroBudget: 0, cancelled: 0 };
  const byDept: Record<string, { flagged: number }> = {};
  const walk = await ctx.deps.repos.leaves.forEach(ctx.year, ctx.concurrency, async (item) => {
    const p = item as CapProject;
    if (!isLeaf(p)) return;
    if (p.status === 'cancelled') return void c.cancelled++;
    if (p.budgetFen <= 0) return void c.zeroBudget++;
    const { flag, figures } = progressCapFlag({ budgetFen: p.budgetFen, spentAsOfFen: spentAsOf(p.spentByDay ?? {}, ctx.asOf) }, policy);
    if (!flag) return void c.atOrAbove++;
    if ((p.flags ?? []).includes(NEXT_YEAR_AT_ACTUAL)) return void c.alreadyFlagged++;
    const now = ctx.deps.clock.now().toISOString();
    const record: FlagRecord = { asOf: ctx.asOf, ...figures, runId: ctx.runId };
    const added = await ctx.deps.repos.projectFlags.addFlag(
      p,
      NEXT_YEAR_AT_ACTUAL,
      { field: 'nextYearAtActual', value: record, at: now },
      {
        auditId: ctx.deps.ids.next(),
        entityType: 'Project',
        entityId: p.projectId,
        action: 'project.flagged',
        actor: ctx.actor.sub,
        at: now,
        before: { flags: p.flags ?? [] },
        after: { flags: [...(p.flags ?? []), NEXT_YEAR_AT_ACTUAL], nextYearAtActual: record },
      },
      { group: ctx.outboxGroup, lineId: `${NEXT_YEAR_AT_ACTUAL}~${p.projectId}~${ctx.asOf}`, line: capFlagLine(p, ctx.asOf, figures) },
    );
    if (!added) return void c.alreadyFlagged++;
    c.flagged++;
    (byDept[p.deptId] ??= { flagged: 0 }).flagged++;
  });
  return {
    phase: 'flag',
    projects: walk.projects,
    pages: walk.pages,
    flagged: c.flagged,
    alreadyFlagged: c.alreadyFlagged,
    atOrAboveThreshold: c.atOrAbove,
    skippedZeroBudget: c.zeroBudget,
    skippedCancelled: c.cancelled,
    byDept,
  };
}

interface Capped {
  project: CapProject;
  capFen: number;
}

interface CapJob {
  leaf: StoredProject;
  allowanceFen: number;
  from: Capped;
  via?: string;
}

async function capPhase(ctx: JobContext) {
  const { capped, walk, c } = await setCaps(ctx);
  const tally = new Tally();
  const cut = { continuing: 0, withinCap: 0, alreadyApplied: 0, cancelled: 0, retries: 0, gaveUp: 0, nextYearProjects: 0 };
  if (capped.size > 0) {
    const next = await ctx.deps.repos.projectFlags.ofYear(ctx.year + 1);
    cut.nextYearProjects = next.length;
    const jobs = continuingLeaves(capped, next);
    cut.continuing = jobs.continuing;
    await forEachLimit(jobs.cuts, ctx.concurrency, async (j) => {
      if (j.leaf.status === 'cancelled') return void cut.cancelled++;
      const result = await cutContinuing(ctx, j);
      cut.retries += result.attempts - 1;
      if (result.outcome === 'applied') tally.add(result.deduction);
      else if (result.outcome === 'exists') cut.alreadyApplied++;
      else if (result.outcome === 'gave-up') cut.gaveUp++;
      else if (result.reason === 'gone') cut.cancelled++;
      else cut.withinCap++;
    });
  }
  if (cut.gaveUp > 0) throw new Error(`${cut.gaveUp} projects kept changing while the run computed their cut; run it again`);
  return {
    phase: 'cap',
    projects: walk.projects,
    pages: walk.pages,
    flaggedSeen: capped.size,
    capped: c.capped,
    alreadyCapped: c.alreadyCapped,
    capFen: [...capped.values()].reduce((s, x) => s + x.capFen, 0),
    nextYearProjects: cut.nextYearProjects,
    continuing: cut.continuing,
    withinCap: cut.withinCap,
    deductions: tally.deductions,
    amountFen: tally.amountFen,
    alreadyApplied: cut.alreadyApplied,
    skippedCancelled: cut.cancelled,
    retries: cut.retries,
    byDept: tally.byDept,
  };
}

/** Each flagged leaf's cap: the year's actual spending, set once (a rerun reads it back). */
async function setCaps(ctx: JobContext) {
  const capped = new Map<string, Capped>();
  const c = { capped: 0, alreadyCapped: 0, notFlagged: 0 };
  const walk = await ctx.deps.repos.leaves.forEach(ctx.year, ctx.concurrency, async (item) => {
    const p = item as CapProject;
    if (!(p.flags ?? []).includes(NEXT_YEAR_AT_ACTUAL)) return void c.notFlagged++;
    if (p.nextYearCapFen !== undefined) {
      c.alreadyCapped++;
      capped.set(p.projectId, { project: p, capFen: p.nextYearCapFen });
      return;
    }
    const capFen = nextYearCap(spentAsOf(p.spentByDay ?? {}, ctx.asOf));
    const now = ctx.deps.clock.now().toISOString();
    const outcome = await ctx.deps.repos.projectFlags.setCap(p.projectId, capFen, ctx.asOf, {
      auditId: ctx.deps.ids.next(),
      entityType: 'Project',
      entityId: p.projectId,
      action: 'project.capped',
      actor: ctx.actor.sub,
      at: now,
      before: { nextYearCapFen: null },
      after: { nextYearCapFen: capFen, nextYearCapAsOf: ctx.asOf },
    });
    if (outcome.set) {
      c.capped++;
      capped.set(p.projectId, { project: p, capFen });
    } else {
      // A concurrent run set it first: its value is the same figure, read back from the item.
      c.alreadyCapped++;
      capped.set(p.projectId, { project: p, capFen: outcome.storedFen ?? capFen });
    }
  });
  return { capped, walk, c };
}

/** The next-year leaves that continue a capped project; a level-1's leaves share its cap. */
function continuingLeaves(capped: Map<string, Capped>, next: StoredProject[]): { cuts: CapJob[]; continuing: number } {
  const children = new Map<string, Project[]>();
  for (const p of next) if (p.parentId) children.set(p.parentId, [...(children.get(p.parentId) ?? []), p]);
  const cuts: CapJob[] = [];
  let continuing = 0;
  for (const np of next) {
    const from = np.continuesProjectId ? capped.get(np.continuesProjectId) : undefined;
    if (!from) continue;
    continuing++;
    if (isLeaf(np)) {
      cuts.push({ leaf: np, allowanceFen: from.capFen, from });
    } else {
      const leaves = (children.get(np.projectId) ?? []).sort((a, b) => a.projectId.localeCompare(b.projectId));
      const shares = shareCap(
        from.capFen,
        leaves.map((l) => l.budgetFen),
      );
      leaves.forEach((leaf, i) => {
        cuts.push({ leaf, allowanceFen: shares[i] as number, from, via: np.projectId });
      });
    }
  }
  return { cuts, continuing };
}

/** A continuing leaf cut to its allowance (NEXT_YEAR_CAP), through the one cut path. */
function cutContinuing(ctx: JobContext, j: CapJob) {
  return cutProject(ctx, 'NEXT_YEAR_CAP', j.leaf, (p) => {
    if (p.status === 'cancelled' || !isLeaf(p)) return { none: 'gone' };
    const r = capCut({ budgetFen: p.budgetFen, spentFen: p.spentFen, allowanceFen: j.allowanceFen });
    if (r.amountFen <= 0) return { none: 'within-cap' };
    const prev = j.from.project;
    const flag = prev.nextYearAtActual;
    return {
      amountFen: r.amountFen,
      budgetAfterFen: r.budgetAfterFen,
      figures: {
        budgetFen: p.budgetFen,
        spentFen: p.spentFen,
        capFen: j.from.capFen,
        allowanceFen: j.allowanceFen,
        cappedProjectId: prev.projectId,
        cappedYear: prev.year,
        ...(j.via ? { continuingProjectId: j.via } : {}),
        ...(flag
          ? {
              flaggedAsOf: flag.asOf,
              flaggedBudgetFen: flag.budgetFen,
              flaggedSpentFen: flag.spentAsOfFen,
              flaggedProgressBp: flag.progressBp,
              thresholdBp: flag.thresholdBp,
            }
          : {}),
      },
      line: {
        ...(flag ? { progressBp: flag.progressBp, thresholdBp: flag.thresholdBp } : {}),
        notes: capCutNotes({
          prev,
          ...(flag ? { flag } : {}),
          capFen: j.from.capFen,
          allowanceFen: j.allowanceFen,
          ...(j.via ? { via: j.via } : {}),
          spentFen: p.spentFen,
        }),
      },
    };
  });
}

export const progressCapJob: JobDefinition = {
  name: 'progress-cap',
  title: '支出进度低于要求按实际执行数安排（progress-cap）',
  dates: (policy, year) => [...new Set([onYear(year, policy.progressCap.date), onYear(year, YEAR_END)])],
  run: runProgressCap,
};
