/**
 * GET /v1/results/{year}/proposals and POST …/{proposalId}/decision (SPEC §3.10): the
 * performance office confirms or drops each proposal; confirming a cut applies RESULTS_CUT to
 * every leaf of the next-year projects that continue the graded one (ledger, pool of year + 1,
 * audit, email in one transaction each, appealable like every deduction). Deciding again the
 * same way re-applies idempotently (a rerun changes nothing); the other way is 409.
 */
import { type Principal, scopeDepartment } from '../../domain/access';
import { shanghaiDate } from '../../domain/dates';
import { ConflictError, NotFoundError } from '../../domain/errors';
import type { StoredProposal } from '../../domain/evaluations';
import type { AppDeps } from '../context';
import { Tally } from '../ledger/cut-project';
import { applyResultsCut } from './apply';
import { type ProposalView, proposalsOf } from './grades';

export async function listProposals(deps: AppDeps, actor: Principal, year: number, q: { deptId?: string } = {}) {
  const deptId = scopeDepartment(actor, q.deptId);
  const policy = await deps.repos.evaluationSources.policy(year);
  const items = (await proposalsOf(deps, year, policy)).filter((p) => !deptId || p.deptId === deptId);
  const count = (f: (p: (typeof items)[number]) => boolean) => items.filter(f).length;
  return {
    year,
    appliesTo: year + 1,
    items,
    totals: {
      cut: count((p) => p.action === 'cut'),
      priority: count((p) => p.action === 'priority'),
      withContinuation: count((p) => p.continuing.length > 0),
      proposedCutFen: items.reduce((s, p) => s + p.proposedCutFen, 0),
      confirmed: count((p) => p.status === 'confirmed'),
      dropped: count((p) => p.status === 'dropped'),
    },
  };
}

export async function decideProposal(
  deps: AppDeps,
  actor: Principal,
  year: number,
  proposalId: string,
  body: { decision: 'confirm' | 'drop'; comment: string },
) {
  const sources = deps.repos.evaluationSources;
  const policy = await sources.policy(year);
  const [view] = await proposalsOf(deps, year, policy, proposalId);
  if (!view) throw new NotFoundError(`No proposal ${proposalId} for ${year}`);
  const status = body.decision === 'confirm' ? 'confirmed' : 'dropped';
  let decision = view.decision;
  if (decision && decision.status !== status) {
    throw new ConflictError('ALREADY_DECIDED', `该建议已${decision.status === 'confirmed' ? '确认' : '放弃'} (the proposal was already ${decision.status})`, {
      status: decision.status,
    });
  }
  const now = deps.clock.now();
  decision ??= await recordDecision(deps, actor, { year, proposalId, view, status, comment: body.comment, now });
  const tally = new Tally();
  const outcomes = { applied: 0, alreadyApplied: 0, none: 0 };
  if (decision.status === 'confirmed' && decision.action === 'cut') {
    const graded = await sources.project(proposalId);
    const group = `results~${year}~${proposalId}`;
    for (const c of view.continuing) {
      const leaf = await sources.project(c.projectId);
      if (!leaf || !graded) continue;
      const r = await applyResultsCut(deps, policy, decision, graded, leaf, { actor, outboxGroup: group });
      if (r.outcome === 'applied') {
        outcomes.applied++;
        tally.add(r.deduction);
      } else if (r.outcome === 'exists') outcomes.alreadyApplied++;
      else if (r.outcome === 'gave-up') throw new ConflictError('CONCURRENT_UPDATE', 'A continuing project kept changing; decide again');
      else outcomes.none++;
    }
    await sources.seal(group, `${decision.decidedOn} 评价结果应用`, now);
  }
  return { decision, deductions: tally.deductions, amountFen: tally.amountFen, ...outcomes };
}

/** Stores the decision with its audit record once; a concurrent different decision is a 409. */
async function recordDecision(
  deps: AppDeps,
  actor: Principal,
  d: { year: number; proposalId: string; view: ProposalView; status: 'confirmed' | 'dropped'; comment: string; now: Date },
): Promise<StoredProposal> {
  const { year, proposalId, view, status, now } = d;
  const next: StoredProposal = {
    proposalId,
    year,
    projectId: view.projectId,
    deptId: view.deptId,
    grade: view.grade,
    gradeSource: view.gradeSource,
    gradeSourceId: view.gradeSourceId,
    action: view.action,
    cutBp: view.cutBp,
    status,
    decidedOn: shanghaiDate(now),
    decidedBy: actor.sub,
    comment: d.comment,
  };
  const at = now.toISOString();
  const out = await deps.repos.resultsProposals.decide(next, {
    auditId: deps.ids.next(),
    entityType: 'ResultsProposal',
    entityId: `${year}~${proposalId}`,
    action: `results.${status}`,
    actor: actor.sub,
    at,
    before: null,
    after: { ...next },
  });
  const decision = out === 'ok' ? next : await deps.repos.resultsProposals.get(year, proposalId);
  if (!decision || decision.status !== status) throw new ConflictError('ALREADY_DECIDED', 'The proposal was decided while this request ran');
  return decision;
}
