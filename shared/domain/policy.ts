/**
 * The policy: one JSON document per fiscal year (SPEC §3.12). Every number a rule uses comes
 * from here. A year's effective policy is the defaults overridden field by field.
 */
import * as z from './zod';
import { categoryInput, fundSourceInput } from './vocabulary';

const monthDay = z.string().check(z.regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected MM-DD'));
const bp = z.number().check(z.int(), z.gte(0), z.lte(10_000));
const fen = z.number().check(z.int(), z.gte(0), z.lte(Number.MAX_SAFE_INTEGER));
const weight = z.number().check(z.int(), z.gte(0), z.lte(100));
const category = categoryInput();
const fundSource = fundSourceInput();

export const policySchema = z.strictObject({
  exAnte: z.strictObject({
    minBudgetFen: fen,
    supportBp: bp,
    adjustBp: bp,
    weights: z.strictObject({
      standard: weight,
      inputOutput: weight,
      goals: weight,
      affordability: weight,
      sustainability: weight,
    }),
  }),
  cleanup: z.strictObject({
    smallBudgetFen: fen,
    scatteredCount: z.number().check(z.int(), z.gte(1), z.lte(1000)),
    similarityBp: bp,
  }),
  targetReview: z.strictObject({
    costToleranceBp: bp,
    cutBp: bp,
    satisfactionCategories: z.array(category),
  }),
  monitoring: z.strictObject({
    checkpoints: z.array(z.strictObject({ date: monthDay, benchmarkBp: bp })).check(z.minLength(1), z.maxLength(12)),
    redGapBp: bp,
    deviationBp: bp,
    suspendOnImpossible: z.boolean(),
  }),
  progressReclaim: z.strictObject({
    date: monthDay,
    thresholdBp: bp,
    ratioBp: bp,
    exemptFundSources: z.array(fundSource),
  }),
  progressCap: z.strictObject({ date: monthDay, thresholdBp: bp }),
  idleFunds: z.strictObject({
    quarterEnds: z.array(monthDay).check(z.minLength(1), z.maxLength(12)),
    carryoverYears: z.number().check(z.int(), z.gte(0), z.lte(20)),
    payableYears: z.number().check(z.int(), z.gte(0), z.lte(50)),
    idleBalanceMonths: z.number().check(z.int(), z.gte(1), z.lte(600)),
    deferrableQuarterBp: bp,
    deferrableZeroSpendFromQuarter: z.number().check(z.int(), z.gte(1), z.lte(5)),
  }),
  selfEvaluation: z.strictObject({
    weights: z.strictObject({ execution: weight, output: weight, benefit: weight, satisfaction: weight }),
    grades: z.strictObject({ excellent: weight, good: weight, fair: weight }),
    /** Self-evaluations of a year are due by this date of the following year (reminders). */
    dueDate: monthDay,
  }),
  keyEvaluation: z.strictObject({
    weights: z.strictObject({ decision: weight, process: weight, output: weight, benefit: weight }),
    /** Days a department has to rectify a suggestion from the day the evaluation is finalized. */
    rectificationDays: z.number().check(z.int(), z.gte(1), z.lte(3650)),
  }),
  results: z.strictObject({ fairCutBp: bp, poorCutBp: bp }),
  notifications: z.strictObject({
    appealDays: z.number().check(z.int(), z.gte(0), z.lte(365)),
    reminderDays: z.number().check(z.int(), z.gte(0), z.lte(365)),
  }),
});

export type Policy = z.infer<typeof policySchema>;

export const DEFAULT_POLICY: Policy = {
  exAnte: {
    minBudgetFen: 500_000_000,
    supportBp: 8000,
    adjustBp: 6000,
    weights: { standard: 20, inputOutput: 25, goals: 20, affordability: 20, sustainability: 15 },
  },
  cleanup: { smallBudgetFen: 50_000_000, scatteredCount: 3, similarityBp: 6000 },
  targetReview: { costToleranceBp: 1000, cutBp: 10000, satisfactionCategories: ['policy', 'operations'] },
  monitoring: {
    checkpoints: [
      { date: '06-30', benchmarkBp: 5000 },
      { date: '09-30', benchmarkBp: 7500 },
    ],
    redGapBp: 2000,
    deviationBp: 1000,
    suspendOnImpossible: true,
  },
  progressReclaim: { date: '09-30', thresholdBp: 8000, ratioBp: 10000, exemptFundSources: [] },
  progressCap: { date: '11-30', thresholdBp: 9000 },
  idleFunds: {
    quarterEnds: ['03-31', '06-30', '09-30', '12-31'],
    carryoverYears: 1,
    payableYears: 3,
    idleBalanceMonths: 12,
    deferrableQuarterBp: 2500,
    deferrableZeroSpendFromQuarter: 2,
  },
  selfEvaluation: {
    weights: { execution: 10, output: 50, benefit: 30, satisfaction: 10 },
    grades: { excellent: 90, good: 80, fair: 60 },
    dueDate: '04-30',
  },
  keyEvaluation: { weights: { decision: 20, process: 20, output: 30, benefit: 30 }, rectificationDays: 90 },
  results: { fairCutBp: 1000, poorCutBp: 10000 },
  notifications: { appealDays: 10, reminderDays: 7 },
};

/** Partial override: any field at any depth may be left out; arrays replace whole. */
export type PolicyOverride = DeepPartial<Policy>;
type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

function deepPartial(schema: z.ZodMiniType): z.ZodMiniType {
  if (schema instanceof z.ZodMiniObject) {
    const shape: Record<string, z.ZodMiniType> = {};
    for (const [key, value] of Object.entries(schema.shape as Record<string, z.ZodMiniType>)) {
      shape[key] = z.optional(deepPartial(value));
    }
    return z.strictObject(shape);
  }
  return schema;
}

export const policyOverrideSchema = deepPartial(policySchema) as z.ZodMiniType<PolicyOverride>;

export function mergePolicy(base: Policy, override: PolicyOverride): Policy {
  return mergeDeep(base, override) as Policy;
}

function mergeDeep(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (Array.isArray(override) || typeof override !== 'object' || override === null) return override;
  const from = base && typeof base === 'object' && !Array.isArray(base) ? (base as Record<string, unknown>) : {};
  const out: Record<string, unknown> = { ...from };
  for (const [key, value] of Object.entries(override)) {
    out[key] = mergeDeep(from[key], value);
  }
  return out;
}

/** Cross-field checks the schema cannot express; each problem is listed with its path. */
export function policyProblems(policy: Policy): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (policy.exAnte.adjustBp > policy.exAnte.supportBp) {
    problems.push({ path: 'exAnte.adjustBp', message: 'must not be above exAnte.supportBp' });
  }
  const w = policy.exAnte.weights;
  if (w.standard + w.inputOutput + w.goals + w.affordability + w.sustainability !== 100) {
    problems.push({ path: 'exAnte.weights', message: 'weights must add up to 100' });
  }
  const s = policy.selfEvaluation.weights;
  if (s.execution + s.output + s.benefit + s.satisfaction !== 100) {
    problems.push({ path: 'selfEvaluation.weights', message: 'weights must add up to 100' });
  }
  const g = policy.selfEvaluation.grades;
  if (!(g.excellent >= g.good && g.good >= g.fair)) {
    problems.push({ path: 'selfEvaluation.grades', message: 'must satisfy excellent ≥ good ≥ fair' });
  }
  const k = policy.keyEvaluation.weights;
  if (k.decision + k.process + k.output + k.benefit !== 100) {
    problems.push({ path: 'keyEvaluation.weights', message: 'weights must add up to 100' });
  }
  const dates = policy.monitoring.checkpoints.map((c) => c.date);
  if (new Set(dates).size !== dates.length) {
    problems.push({ path: 'monitoring.checkpoints', message: 'checkpoint dates must be distinct' });
  }
  if ([...dates].sort().join() !== dates.join()) {
    problems.push({ path: 'monitoring.checkpoints', message: 'checkpoints must be in calendar order' });
  }
  const q = policy.idleFunds.quarterEnds;
  if (new Set(q).size !== q.length || [...q].sort().join() !== q.join()) {
    problems.push({ path: 'idleFunds.quarterEnds', message: 'quarter ends must be distinct and in calendar order' });
  }
  return problems;
}
