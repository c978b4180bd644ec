/**
 * The grades of record of a year (SPEC §3.10) and what they propose for year + 1: key
 * evaluation over self-evaluation; each 中/差/优 graded project with the next-year projects
 * that continue it, and each continuing leaf's proposed cut.
 */
import type { StoredProposal } from '../../domain/evaluations';
import type { Policy } from '../../domain/policy';
import { isLeaf, type Project } from '../../domain/project';
import { type GradeSource, gradeOfRecord, proposalFor, type ProposalAction, resultsCut } from '../../domain/rules/results';
import type { AppDeps } from '../context';

export async function gradesOfRecord(deps: AppDeps, year: number): Promise<Map<string, GradeSource>> {
  const [selfs, keyEvals] = await Promise.all([deps.repos.selfEvaluations.list(year), deps.repos.keyEvaluations.list(year)]);
  const self = new Map<string, GradeSource>();
  for (const e of selfs) if (e.status === 'confirmed') self.set(e.projectId, { grade: e.grade, source: 'self-evaluation', sourceId: e.projectId });
  const key = new Map<string, GradeSource>();
  const finalized = keyEvals.filter((e) => e.status === 'finalized' && e.grade).sort((a, b) => ((a.finalizedAt ?? '') < (b.finalizedAt ?? '') ? -1 : 1));
  for (const e of finalized) for (const id of e.projectIds) key.set(id, { grade: e.grade!, source: 'key-evaluation', sourceId: e.evaluationId });
  const out = new Map<string, GradeSource>();
  for (const id of new Set([...self.keys(), ...key.keys()])) out.set(id, gradeOfRecord(key.get(id), self.get(id))!);
  return out;
}

export interface ProposalView {
  proposalId: string;
  year: number;
  projectId: string;
  deptId: string;
  name: string;
  grade: GradeSource['grade'];
  gradeSource: GradeSource['source'];
  gradeSourceId: string;
  action: ProposalAction;
  cutBp: number;
  continuing: { projectId: string; year: number; budgetFen: number; spentFen: number; proposedCutFen: number }[];
  proposedCutFen: number;
  status: 'proposed' | StoredProposal['status'];
  decision?: StoredProposal;
}

/** The leaves that carry a next-year project's money: itself, or its children. */
export async function leavesOf(deps: AppDeps, p: Project): Promise<Project[]> {
  if (isLeaf(p)) return [p];
  return (await deps.repos.evaluationSources.children(p)).filter(isLeaf);
}

export async function proposalsOf(deps: AppDeps, year: number, policy: Policy, only?: string): Promise<ProposalView[]> {
  const grades = await gradesOfRecord(deps, year);
  const wanted = new Map([...grades].filter(([id, g]) => (!only || id === only) && proposalFor(g.grade, policy.results).action !== 'keep'));
  if (wanted.size === 0) return [];
  const sources = deps.repos.evaluationSources;
  const [graded, next, decided] = await Promise.all([
    sources.projects([...wanted.keys()]),
    sources.continuing(year + 1, new Set(wanted.keys())),
    deps.repos.resultsProposals.list(year),
  ]);
  const decisions = new Map(decided.map((d) => [d.proposalId, d]));
  const out: ProposalView[] = [];
  for (const [id, g] of [...wanted].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const p = graded.get(id);
    if (!p) continue;
    const { action, cutBp } = proposalFor(g.grade, policy.results);
    const decision = decisions.get(id);
    const continuing = [];
    for (const np of next.filter((x) => x.continuesProjectId === id)) {
      for (const leaf of await leavesOf(deps, np)) {
        // Once decided, the ledger holds what was cut; nothing more is proposed.
        const cut = action === 'cut' && !decision ? resultsCut(leaf, cutBp).amountFen : 0;
        continuing.push({ projectId: leaf.projectId, year: leaf.year, budgetFen: leaf.budgetFen, spentFen: leaf.spentFen, proposedCutFen: cut });
      }
    }
    out.push({
      proposalId: id,
      year,
      projectId: id,
      deptId: p.deptId,
      name: p.name,
      grade: g.grade,
      gradeSource: g.source,
      gradeSourceId: g.sourceId,
      action,
      cutBp,
      continuing,
      proposedCutFen: continuing.reduce((s, c) => s + c.proposedCutFen, 0),
      status: decision?.status ?? 'proposed',
      ...(decision ? { decision } : {}),
    });
  }
  return out;
}
