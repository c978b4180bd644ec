/**
 * SPEC §3.10 — results feed next year's budget (评价结果应用).
 *
 * A project's grade of record is that of a finalized key evaluation covering it (the latest
 * finalized, if several), else its confirmed self-evaluation. For a project graded 中 or 差
 * that a next-year project continues, the next-year project's budget is proposed cut by
 * [fairCutBp 1000 = 10%] or [poorCutBp 10000 = 100%]: each leaf loses floor(budget × bp /
 * 10000), never going below what it has spent. 优 is marked priority, 良 kept. A confirmed
 * proposal is a RESULTS_CUT deduction; it also applies to a continuing project created, or
 * whose budget is raised, after the decision (the raise is cut by the same share).
 *
 * Worked example (defaults): graded 中, the continuing leaf has budget 20,000,000 and spent
 * 19,000,000 → 10% is 2,000,000, but only 1,000,000 may go → cut 1,000,000 to 19,000,000;
 * graded 差 with budget 5,000,000 and spent 0 → cut 5,000,000 to 0.
 */
import { mulDivFloor } from '../money';
import type { Policy } from '../policy';
import type { ScoreGrade } from './self-evaluation';

export type ResultsPolicy = Policy['results'];
export type ProposalAction = 'cut' | 'priority' | 'keep';

export interface GradeSource {
  grade: ScoreGrade;
  source: 'key-evaluation' | 'self-evaluation';
  sourceId: string;
}

/** Key evaluation over self-evaluation. */
export function gradeOfRecord(key: GradeSource | undefined, self: GradeSource | undefined): GradeSource | undefined {
  return key ?? self;
}

export function proposalFor(grade: ScoreGrade, policy: ResultsPolicy): { action: ProposalAction; cutBp: number } {
  if (grade === '中') return { action: 'cut', cutBp: policy.fairCutBp };
  if (grade === '差') return { action: 'cut', cutBp: policy.poorCutBp };
  if (grade === '优') return { action: 'priority', cutBp: 0 };
  return { action: 'keep', cutBp: 0 };
}

/** One leaf's cut: the share of its budget, never below what it has spent. */
export function resultsCut(leaf: { budgetFen: number; spentFen: number }, cutBp: number): { amountFen: number; budgetAfterFen: number } {
  const budget = Math.max(0, leaf.budgetFen);
  const wanted = mulDivFloor(budget, cutBp, 10_000);
  const amountFen = Math.max(0, Math.min(wanted, budget - Math.max(0, leaf.spentFen)));
  return { amountFen, budgetAfterFen: budget - amountFen };
}
