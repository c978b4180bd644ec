/**
 * The stored records of the front of the cycle (SPEC §3.1–§3.3): ex-ante assessments,
 * department rankings, funding rounds, clean-up scans and a project's cancellation. Data types
 * only; the rules are in rules/ex-ante.ts, rules/ranking.ts and rules/cleanup.ts.
 */
import type { Candidate, CandidateKind } from './rules/cleanup';
import type { ExAnteOutcome, ExAnteScores } from './rules/ex-ante';
import type { RankEntry, UnfundedReason } from './rules/ranking';

export interface ExAnteAssessmentRecord {
  assessmentId: string;
  projectId: string;
  deptId: string;
  year: number;
  version: number;
  remit: boolean;
  scores: ExAnteScores;
  weightedBp: number;
  outcome: ExAnteOutcome;
  /** The adjustments asked for (shown to the target's reviewer when the outcome is `adjust`). */
  comments: string;
  /** Whether the project needed one (new, budget ≥ the minimum) when it was recorded. */
  required: boolean;
  budgetFen: number;
  by: string;
  at: string;
}

export interface DepartmentRanking {
  deptId: string;
  year: number;
  projectIds: string[];
  version: number;
  by: string;
  at: string;
}

export interface FundingRound {
  roundId: string;
  year: number;
  domain: string;
  capFen: number;
  order: (RankEntry & { position: number })[];
  funded: RankEntry[];
  unfunded: { projectId: string; deptId: string; budgetFen: number; reason: UnfundedReason }[];
  fundedFen: number;
  leftFen: number;
  by: string;
  at: string;
}

export interface CleanupScanHeader {
  year: number;
  scanId: string;
  asOf: string;
  projects: number;
  counts: Record<CandidateKind, number>;
  at: string;
  by: string;
}

export type StoredCandidate = Candidate & { seq: number; scanId: string };

/** What a cancellation leaves on a project (and on each leaf of a cancelled level-1). */
export interface ProjectCancellation {
  state: 'pending' | 'done';
  reason: string;
  mergedInto?: string;
  /** The level-1 whose cancellation cancelled this leaf. */
  via?: string;
  asOf: string;
  by: string;
  at: string;
  amountFen?: number;
  deductionIds?: string[];
}

export interface CleanupTotals {
  year: number;
  projects: number;
  cutFen: number;
  byDept: Record<string, { projects: number; cutFen: number }>;
  reversed: { projects: number; fen: number };
}
