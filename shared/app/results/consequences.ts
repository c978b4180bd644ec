/**
 * SPEC §3.10 (last sentence) and §3.7: a consequence for next year — a confirmed RESULTS_CUT,
 * or the NEXT_YEAR_AT_ACTUAL cap set at 12-31 — also applies to a continuing project created,
 * or whose budget is raised, after the decision. Project creation (and a raise) call
 * `applyNextYearConsequences` once the project is stored; it finds the project it continues
 * (its own continuesProjectId, or its level-1's) and applies, in this order, the cap and then
 * the results cut, each through the shared ledger path. Without a decision it does nothing.
 *
 * Worked example: 2020 leaf capped at 46,000,000 at 12-31; a 2021 continuation created on
 * 2021-01-05 asking 60,000,000 is cut 14,000,000 to 46,000,000 (NEXT_YEAR_CAP); the 2020 leaf
 * graded 中 and the proposal confirmed → a further 10%: 4,600,000 to 41,400,000 (RESULTS_CUT).
 */
import { SYSTEM, type Principal } from '../../domain/access';
import { shanghaiDate } from '../../domain/dates';
import { isLeaf, type Project } from '../../domain/project';
import type { AppDeps } from '../context';
import { applyCap, applyResultsCut } from './apply';

type Capped = Project & { nextYearCapFen?: number; nextYearCapAsOf?: string };

export interface ConsequenceOpts {
  actor?: Principal;
  /** A budget raise after the decision: how much, and what raised it (its id keys the deductions). */
  raise?: { amountFen: number; id: string };
}

export async function applyNextYearConsequences(deps: AppDeps, project: Project, opts: ConsequenceOpts = {}) {
  if (!isLeaf(project) || project.status === 'cancelled') return { applied: 0 };
  const sources = deps.repos.evaluationSources;
  const parent = project.parentId ? await sources.project(project.parentId) : undefined;
  const continuedId = project.continuesProjectId ?? parent?.continuesProjectId;
  if (!continuedId) return { applied: 0 };
  const old = (await sources.project(continuedId)) as Capped | undefined;
  if (!old) return { applied: 0 };
  const group = `next-year-consequences~${project.projectId}~${opts.raise?.id ?? 'created'}`;
  const base = { actor: opts.actor ?? SYSTEM, outboxGroup: group, ...(opts.raise ? { discriminator: opts.raise.id } : {}) };
  let applied = 0;
  let leaf: Project | undefined = project;
  if (old.nextYearCapFen !== undefined) {
    const policy = await sources.policy(old.year);
    let allowance = old.nextYearCapFen;
    if (!project.continuesProjectId && parent) {
      const siblings = (await sources.children(parent)).filter((c) => c.projectId !== project.projectId);
      allowance = Math.max(0, allowance - siblings.reduce((s, c) => s + c.budgetFen, 0));
    }
    const r = await applyCap(deps, policy, old as Capped & { nextYearCapFen: number }, leaf, allowance, base);
    if (r.outcome === 'applied') applied++;
    leaf = await sources.project(project.projectId);
  }
  const decision = await deps.repos.resultsProposals.get(old.year, old.projectId);
  if (leaf && decision?.status === 'confirmed' && decision.action === 'cut') {
    const policy = await sources.policy(old.year);
    const r = await applyResultsCut(deps, policy, decision, old, leaf, { ...base, ...(opts.raise ? { raisedFen: opts.raise.amountFen } : {}) });
    if (r.outcome === 'applied') applied++;
  }
  if (applied > 0) await sources.seal(group, `${shanghaiDate(deps.clock.now())} 下一年度预算按上年决定调整`, deps.clock.now());
  return { applied };
}
