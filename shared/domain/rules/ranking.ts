/**
 * SPEC §3.2 — ranking (支出排序).
 *
 * A department ranks exactly its new projects of a year (a complete order: a missing, foreign
 * or duplicate id is a problem, each listed). New `infrastructure`, `it` and `equipment` projects
 * are also ranked across departments within one domain by
 *
 *     ex-ante weightedBp descending, then department rank ascending, then smaller budget,
 *     then projectId
 *
 * (a project without an assessment sorts after every assessed one; one its department did not
 * rank sorts after every ranked one at the same weightedBp). A funding round with a cap walks
 * that order: a project without an assessment is unfunded `no-assessment`, one rejected
 * `not-supported`; any other is funded when its budget fits under what is left of the cap,
 * else unfunded `over-cap` — and the walk goes on (skip and continue).
 *
 * Worked example: cap 10,000,000; A 8200 bp 6,000,000; B 8200 bp 5,000,000 (same department
 * rank as A, smaller budget, so B first); C 7000 bp 3,000,000 → B funded (5,000,000 left),
 * A over-cap, C funded (2,000,000 left); fundedFen 8,000,000.
 */
import type { FieldProblem } from '../errors';
import type { Fen } from '../money';
import type { Category } from '../project';
import type { ExAnteOutcome } from './ex-ante';

export const RANKED_CATEGORIES: readonly Category[] = ['infrastructure', 'it', 'equipment'];

/** The problems with a department's submitted order, each listed (empty when it is exact). */
export function departmentRankingProblems(newProjectIds: readonly string[], submitted: readonly string[]): FieldProblem[] {
  const expected = new Set(newProjectIds);
  const seen = new Map<string, number>();
  const problems: FieldProblem[] = [];
  submitted.forEach((id, i) => {
    const first = seen.get(id);
    if (first !== undefined) problems.push({ path: `body.projectIds.${i}`, message: `${id} is listed twice (first at ${first})` });
    else if (!expected.has(id)) problems.push({ path: `body.projectIds.${i}`, message: `${id} is not a new project of this department and year` });
    if (first === undefined) seen.set(id, i);
  });
  for (const id of newProjectIds) {
    if (!seen.has(id)) problems.push({ path: 'body.projectIds', message: `${id} is missing: every new project of the year must be ranked` });
  }
  return problems;
}

export interface RankEntry {
  projectId: string;
  deptId: string;
  budgetFen: Fen;
  /** Absent: no assessment. */
  weightedBp?: number;
  outcome?: ExAnteOutcome;
  /** 1-based; absent when the department has not ranked it. */
  deptRank?: number;
}

export type UnfundedReason = 'no-assessment' | 'not-supported' | 'over-cap';

export interface FundingResult {
  order: RankEntry[];
  funded: RankEntry[];
  unfunded: { projectId: string; deptId: string; budgetFen: Fen; reason: UnfundedReason }[];
  fundedFen: Fen;
  leftFen: Fen;
}

const orNone = (v: number | undefined, none: number) => (v === undefined ? none : v);

/** The cross-department order of §3.2. */
export function compareRank(a: RankEntry, b: RankEntry): number {
  return (
    orNone(b.weightedBp, -1) - orNone(a.weightedBp, -1) ||
    orNone(a.deptRank, Number.MAX_SAFE_INTEGER) - orNone(b.deptRank, Number.MAX_SAFE_INTEGER) ||
    a.budgetFen - b.budgetFen ||
    (a.projectId < b.projectId ? -1 : a.projectId > b.projectId ? 1 : 0)
  );
}

export function fundRound(entries: readonly RankEntry[], capFen: Fen): FundingResult {
  const order = [...entries].sort(compareRank);
  const funded: RankEntry[] = [];
  const unfunded: FundingResult['unfunded'] = [];
  let left = capFen;
  for (const e of order) {
    const miss = (reason: UnfundedReason) => unfunded.push({ projectId: e.projectId, deptId: e.deptId, budgetFen: e.budgetFen, reason });
    if (e.weightedBp === undefined || e.outcome === undefined) miss('no-assessment');
    else if (e.outcome === 'reject') miss('not-supported');
    else if (e.budgetFen <= left) {
      funded.push(e);
      left -= e.budgetFen;
    } else miss('over-cap');
  }
  return { order, funded, unfunded, fundedFen: capFen - left, leftFen: left };
}
