/**
 * SPEC §3.10 — key evaluations (重点评价): each assigned expert scores four criteria 0–100,
 * weighted by the policy [decision 20, process 20, output 30, benefit 30]; the evaluation's
 * score is the mean of the experts' weighted scores, rounded down once to hundredths
 * (`scoreCp`); grades as in §3.9 (policy.selfEvaluation.grades) on the exact mean. The year's
 * growth in funds covered over the year before is floor((this − last) × 10000 / last) bp.
 *
 * Worked example (defaults): expert A scores 90, 80, 70, 60 → (90×20 + 80×20 + 70×30 + 60×30)
 * / 100 = 73; expert B 100, 90, 80, 80 → 86; mean 79.5 → scoreCp 7950, 中. Funds 34.4 billion
 * yuan against 20.13 billion the year before → growthBp floor(14.27 × 10000 / 20.13) = 7088.
 */
import { div, type Fraction, floorTimes, frac, sum, toDecimal } from '../fraction';
import type { Policy } from '../policy';
import { gradeOf, type ScoreGrade } from './self-evaluation';

export type KeyEvaluationPolicy = Policy['keyEvaluation'];
export const CRITERIA = ['decision', 'process', 'output', 'benefit'] as const;
export type Criterion = (typeof CRITERIA)[number];
export type CriteriaScores = Record<Criterion, number>;

/** One expert's weighted score, exact (points out of 100). */
export function expertScore(s: CriteriaScores, policy: KeyEvaluationPolicy): Fraction {
  const weighted = CRITERIA.reduce((acc, c) => acc + BigInt(s[c]) * BigInt(policy.weights[c]), 0n);
  return frac(weighted, 100n);
}

export type KeyEvaluationScore =
  | { outcome: 'unscored'; experts: 0 }
  | { outcome: 'scored'; experts: number; scoreCp: number; grade: ScoreGrade; perExpert: { sub: string; score: string }[] };

export function keyEvaluationScore(
  scores: { sub: string; scores: CriteriaScores }[],
  policy: KeyEvaluationPolicy,
  grades: Policy['selfEvaluation']['grades'],
): KeyEvaluationScore {
  if (scores.length === 0) return { outcome: 'unscored', experts: 0 };
  const each = scores.map((s) => ({ sub: s.sub, value: expertScore(s.scores, policy) }));
  const mean = div(sum(each.map((e) => e.value)), frac(scores.length));
  return {
    outcome: 'scored',
    experts: scores.length,
    scoreCp: Number(floorTimes(mean, 100n)),
    grade: gradeOf(mean, grades),
    perExpert: each.map((e) => ({ sub: e.sub, score: toDecimal(e.value) })),
  };
}

/** Growth over the year before in bp, rounded down; none when the year before had nothing. */
export function growthBp(thisFen: number, lastFen: number): number | null {
  if (lastFen <= 0) return null;
  return Number(floorTimes(frac(BigInt(thisFen) - BigInt(lastFen), BigInt(lastFen)), 10_000n));
}
