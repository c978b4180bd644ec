/**
 * SPEC §3.1 — ex-ante assessment (事前绩效评估).
 *
 * A new major project (`isNew` and budget ≥ exAnte.minBudgetFen [5,000,000 yuan]) needs one
 * before its target can be approved. The performance office records a gate — within the
 * government's remit (属于政府保障范围) — and five integer scores 0–100 with the policy's weights
 * [standard 20, inputOutput 25, goals 20, affordability 20, sustainability 15]:
 *
 *     weightedBp = floor(Σ score × weight × 100 / Σ weight)        (basis points of 100 points)
 *
 * Outcome: remit no → `reject` whatever the scores; else weightedBp ≥ supportBp [8000] →
 * `support`, ≥ adjustBp [6000] → `adjust` (supported with the adjustments shown to the target's
 * reviewer), else `reject`. A rejected project's target cannot be approved and the ranking does
 * not fund it.
 *
 * Worked example (defaults): scores 90/80/70/85/60 → 90×20 + 80×25 + 70×20 + 85×20 + 60×15 =
 * 1800 + 2000 + 1400 + 1700 + 900 = 7800 points×weight; × 100 / 100 → 7800 bp → `adjust`.
 */
import * as z from '../zod';
import type { Policy } from '../policy';

export type ExAntePolicy = Policy['exAnte'];
export const CRITERIA = ['standard', 'inputOutput', 'goals', 'affordability', 'sustainability'] as const;
export type Criterion = (typeof CRITERIA)[number];
export type ExAnteScores = Record<Criterion, number>;
export const EX_ANTE_OUTCOMES = ['support', 'adjust', 'reject'] as const;
export type ExAnteOutcome = (typeof EX_ANTE_OUTCOMES)[number];

const score = z.number().check(z.int('must be a whole number'), z.gte(0), z.lte(100));
export const exAnteBodySchema = z.strictObject({
  remit: z.boolean(),
  scores: z.strictObject({ standard: score, inputOutput: score, goals: score, affordability: score, sustainability: score }),
  comments: z._default(z.string().check(z.trim(), z.maxLength(4000)), ''),
});
export type ExAnteBody = z.infer<typeof exAnteBodySchema>;

export interface ExAnteResult {
  weightedBp: number;
  outcome: ExAnteOutcome;
  /** Why: 'outside-remit' | 'at-or-above-support' | 'at-or-above-adjust' | 'below-adjust'. */
  reason: 'outside-remit' | 'at-or-above-support' | 'at-or-above-adjust' | 'below-adjust';
  /** Each criterion's score × weight, and the weights used. */
  points: Record<Criterion, number>;
  weights: Record<Criterion, number>;
}

export function weightedBp(scores: ExAnteScores, weights: ExAntePolicy['weights']): number {
  let sum = 0;
  let total = 0;
  for (const c of CRITERIA) {
    sum += scores[c] * weights[c];
    total += weights[c];
  }
  return total === 0 ? 0 : Math.floor((sum * 100) / total);
}

export function assessExAnte(input: { remit: boolean; scores: ExAnteScores }, policy: ExAntePolicy): ExAnteResult {
  const bp = weightedBp(input.scores, policy.weights);
  const points = Object.fromEntries(CRITERIA.map((c) => [c, input.scores[c] * policy.weights[c]])) as Record<Criterion, number>;
  const base = { weightedBp: bp, points, weights: { ...policy.weights } };
  if (!input.remit) return { ...base, outcome: 'reject', reason: 'outside-remit' };
  if (bp >= policy.supportBp) return { ...base, outcome: 'support', reason: 'at-or-above-support' };
  if (bp >= policy.adjustBp) return { ...base, outcome: 'adjust', reason: 'at-or-above-adjust' };
  return { ...base, outcome: 'reject', reason: 'below-adjust' };
}

/** Does this project need an assessment before its target can be approved? */
export function exAnteRequired(p: { isNew: boolean; budgetFen: number }, policy: ExAntePolicy): boolean {
  return p.isNew && p.budgetFen >= policy.minBudgetFen;
}

export const OUTCOME_WORDS: Record<ExAnteOutcome, string> = { support: '支持', adjust: '调整后支持', reject: '不予支持' };
