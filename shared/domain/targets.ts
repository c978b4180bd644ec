/**
 * Performance targets and their review (绩效目标审核, SPEC §3.4; 财预〔2015〕88号).
 *
 * - What a target is (goal + indicators from the library or custom) and how its indicators are
 *   read in the taxonomy of the target's year.
 * - The lint run on every save: its numbers come from the year's policy `targetReview`.
 * - The review state machine and when a review cuts the budget (TARGET_REVIEW_CUT).
 *
 * Pure: the library entries, the budget and the policy come in as arguments.
 */
import * as z from 'zod';
import { ConflictError, type FieldProblem, ValidationError } from './errors';
import {
  CODE_PATTERN,
  DIRECTIONS,
  type Direction,
  type Indicator,
  isLevel2Of,
  LEVEL1,
  type Level1,
  level2Codes,
  readAs,
  type Taxonomy,
  taxonomyOf,
} from './indicators';
import { type Bp, type Fen, FULL_BP, formatYuan, mulDivFloor } from './money';
import type { Policy } from './policy';
import { fenSchema } from './project';

// ------------------------------------------------------------------ input

/** Quantities may have up to 4 decimal places (12.5 km, 0.25 年); they are computed exactly. */
export const QUANTITY_DECIMALS = 4;
const QUANTITY_SCALE = 10n ** BigInt(QUANTITY_DECIMALS);
const QUANTITY_PATTERN = /^\d{1,13}(\.\d{1,4})?$/;

const quantitySchema = z
  .number()
  .positive('must be more than 0')
  .max(1e12)
  .refine((q) => QUANTITY_PATTERN.test(String(q)), `at most ${QUANTITY_DECIMALS} decimal places`);

const targetValueSchema = z.union([z.number().refine(Number.isFinite, 'must be a finite number'), z.string().trim().max(200)]);

/**
 * One indicator of a target as sent: `code` names a library indicator (its level1, level2,
 * name, unit and direction come from the library; if sent, they must match it), otherwise a
 * custom one gives level1, level2 and name. Unit, direction and target value may be left out
 * while drafting: the lint lists what is missing.
 */
export const targetIndicatorInput = z
  .strictObject({
    code: z.string().regex(CODE_PATTERN, 'not an indicator code').optional(),
    level1: z.enum(LEVEL1).optional(),
    level2: z.string().trim().min(1).max(40).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    unit: z.string().trim().max(20).optional(),
    direction: z.enum(DIRECTIONS).optional(),
    targetValue: targetValueSchema.optional(),
    /** Unit cost (单位成本) for the cost-match check, integer fen. */
    unitCostFen: fenSchema.optional(),
    /** Quantity (数量) for the cost-match check. */
    quantity: quantitySchema.optional(),
    /** Shown by GET; ignored on PUT (the library's value is used). */
    benchmark: z.number().optional(),
    source: z.enum(['library', 'custom']).optional(),
  })
  .superRefine((i, ctx) => {
    if (i.code) return;
    for (const field of ['level1', 'level2', 'name'] as const) {
      if (i[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'a custom indicator (no code) needs level1, level2 and name' });
    }
  });
export type TargetIndicatorInput = z.infer<typeof targetIndicatorInput>;

export const targetBody = z.strictObject({
  goal: z.string().trim().max(2000),
  indicators: z.array(targetIndicatorInput).max(100),
  /** The version this edit is based on (0: there is none yet); a stale one gets 409. */
  version: z.number().int().min(0).optional(),
});
export type TargetBody = z.infer<typeof targetBody>;

export const GRADES = ['优', '良', '中', '差'] as const;
export type Grade = (typeof GRADES)[number];
export const DECISIONS = ['approve', 'return', 'reject'] as const;
export type Decision = (typeof DECISIONS)[number];

export const reviewBody = z
  .strictObject({
    decision: z.enum(DECISIONS),
    grade: z.enum(GRADES),
    comments: z.string().trim().max(4000).default(''),
  })
  .superRefine((r, ctx) => {
    const allowed = GRADES_FOR[r.decision];
    if (!allowed.includes(r.grade)) {
      ctx.addIssue({ code: 'custom', path: ['grade'], message: `${r.decision} goes with grade ${allowed.join(' or ')} (财预〔2015〕88号)` });
    }
    if (r.decision !== 'approve' && r.comments === '') {
      ctx.addIssue({ code: 'custom', path: ['comments'], message: `a ${r.decision} needs the reasons` });
    }
  });
export type ReviewBody = z.infer<typeof reviewBody>;

/**
 * 财预〔2015〕88号: 优 goes ahead; 良 goes ahead once settled with the department; 中 goes back
 * to the department to be revised and resubmitted; 差 does not go ahead.
 */
export const GRADES_FOR: Record<Decision, readonly Grade[]> = {
  approve: ['优', '良'],
  return: ['中'],
  reject: ['差'],
};

// ------------------------------------------------------------------ stored shape

export interface TargetIndicator {
  source: 'library' | 'custom';
  code?: string;
  /** As read in the target year's taxonomy (before 2021, cost is output → cost). */
  level1: Level1;
  level2: string;
  name: string;
  unit?: string;
  direction?: Direction;
  targetValue?: number | string;
  benchmark?: number;
  unitCostFen?: Fen;
  quantity?: number;
}

export type TargetStatus = 'draft' | 'submitted' | 'returned' | 'approved' | 'rejected';
export const TARGET_STATUSES: readonly TargetStatus[] = ['draft', 'submitted', 'returned', 'approved', 'rejected'];
export type TargetKind = 'project' | 'department';

export interface LintProblem {
  code: string;
  path: string;
  message: string;
  /** Errors block submission; warnings are advice. */
  severity: 'error' | 'warning';
  figures?: Record<string, number | string>;
}

/**
 * Reads the indicators of a save against the library, in the taxonomy of `year`. Problems a
 * client must fix before anything is stored (unknown codes, a level-2 that is not one of its
 * level-1, fields that contradict the library) come back as field problems for one 400.
 */
export function resolveIndicators(
  year: number,
  inputs: TargetIndicatorInput[],
  library: ReadonlyMap<string, Indicator>,
): { indicators: TargetIndicator[]; problems: FieldProblem[] } {
  const taxonomy = taxonomyOf(year);
  const problems: FieldProblem[] = [];
  const indicators: TargetIndicator[] = [];
  inputs.forEach((input, i) => {
    const at = (field: string) => `body.indicators[${i}].${field}`;
    const extras = pick(input);
    if (input.code) {
      const lib = library.get(input.code);
      if (!lib) {
        problems.push({ path: at('code'), message: `no indicator ${input.code} in the library` });
        return;
      }
      const read = readAs(year, lib.level1, lib.level2);
      const mismatch = (field: 'level1' | 'level2' | 'name' | 'unit' | 'direction', accepted: (string | undefined)[]) => {
        const sent = input[field];
        if (sent !== undefined && !accepted.includes(sent)) {
          problems.push({ path: at(field), message: `differs from the library's ${JSON.stringify(accepted[0] ?? '')}; leave it out or send the library's value` });
        }
      };
      mismatch('level1', [read.level1, lib.level1]);
      mismatch('level2', [read.level2, lib.level2]);
      mismatch('name', [lib.name]);
      mismatch('unit', [lib.unit ?? '']);
      mismatch('direction', [lib.direction]);
      const out: TargetIndicator = { source: 'library', code: lib.code, ...read, name: lib.name, direction: lib.direction, ...extras };
      if (lib.unit) out.unit = lib.unit;
      if (lib.benchmark !== undefined) out.benchmark = lib.benchmark;
      indicators.push(order(out));
      return;
    }
    const level1 = input.level1 as Level1;
    const level2 = input.level2 as string;
    const read = customLevels(taxonomy, year, level1, level2);
    if (!read) {
      const hint =
        taxonomy === '2021' && level1 === 'output' && level2 === 'cost'
          ? ' — in the 2021 framework cost is a level-1 indicator (level1 cost)'
          : '';
      problems.push({ path: at('level2'), message: `"${level2}" is not a level-2 of ${level1} in the ${taxonomy} framework (${allowedLevel2(taxonomy, level1).join(', ')})${hint}` });
      return;
    }
    const out: TargetIndicator = { source: 'custom', ...read, name: input.name as string, ...extras };
    if (input.unit) out.unit = input.unit;
    if (input.direction) out.direction = input.direction;
    indicators.push(order(out));
  });
  return { indicators, problems };
}

function pick(input: TargetIndicatorInput): Partial<TargetIndicator> {
  const out: Partial<TargetIndicator> = {};
  if (input.targetValue !== undefined && input.targetValue !== '') out.targetValue = input.targetValue;
  if (input.unitCostFen !== undefined) out.unitCostFen = input.unitCostFen;
  if (input.quantity !== undefined) out.quantity = input.quantity;
  return out;
}

/** Stable field order, so that equal content is stored (and hashed) the same way. */
function order(i: TargetIndicator): TargetIndicator {
  const keysInOrder: (keyof TargetIndicator)[] = ['source', 'code', 'level1', 'level2', 'name', 'unit', 'direction', 'targetValue', 'benchmark', 'unitCostFen', 'quantity'];
  const out: Record<string, unknown> = {};
  for (const k of keysInOrder) if (i[k] !== undefined) out[k] = i[k];
  return out as unknown as TargetIndicator;
}

function allowedLevel2(taxonomy: Taxonomy, level1: Level1): string[] {
  if (taxonomy === 'pre-2021' && level1 === 'cost') return level2Codes('cost');
  return level2Codes(level1, taxonomy);
}

/** A custom indicator's levels as the target's year reads them, or undefined if not valid. */
function customLevels(taxonomy: Taxonomy, year: number, level1: Level1, level2: string): { level1: Level1; level2: string } | undefined {
  if (taxonomy === 'pre-2021') {
    // A pre-2021 target may name cost the new way (level1 cost) or the old way (output → cost).
    if (level1 === 'cost') return isLevel2Of('cost', level2) || level2 === 'cost' ? readAs(year, 'cost', level2) : undefined;
    return isLevel2Of(level1, level2, 'pre-2021') ? { level1, level2 } : undefined;
  }
  return isLevel2Of(level1, level2, '2021') ? { level1, level2 } : undefined;
}

// ------------------------------------------------------------------ lint

export interface LintSubject {
  kind: TargetKind;
  /** The project's category (projects only): decides whether satisfaction is required. */
  category?: string;
  goal: string;
  indicators: TargetIndicator[];
  /** The budget the cost match compares with: a leaf's budget, a level-1's children's sum. */
  budgetFen: Fen;
}

export type TargetReviewPolicy = Policy['targetReview'];

/** quantity × 10^4 as an exact integer (quantities have at most 4 decimals). */
export function scaledQuantity(q: number): bigint {
  const text = String(q);
  if (!QUANTITY_PATTERN.test(text)) throw new RangeError(`quantity ${text} has more than ${QUANTITY_DECIMALS} decimals`);
  const [whole, frac = ''] = text.split('.') as [string, string?];
  return BigInt(whole) * QUANTITY_SCALE + BigInt(frac.padEnd(QUANTITY_DECIMALS, '0'));
}

export interface CostMatch {
  /** Σ unit cost × quantity, exact, in 1/10^4 fen. */
  costScaled: bigint;
  /** The same, rounded down to a whole fen, for people. */
  costFen: Fen;
  budgetFen: Fen;
  /** |cost − budget| / budget in bp, rounded down (10000 for a zero budget with a cost). */
  deviationBp: Bp;
  within: boolean;
}

/**
 * Unit cost × quantity summed over the indicators that give both, against the budget:
 * within when |cost − budget| × 10000 ≤ budget × toleranceBp — exactly, in BigInt, so a cost
 * exactly 10% off passes and one fen further does not.
 */
export function costMatch(indicators: TargetIndicator[], budgetFen: Fen, toleranceBp: Bp): CostMatch | undefined {
  let cost = 0n;
  let any = false;
  for (const i of indicators) {
    if (i.unitCostFen === undefined || i.quantity === undefined) continue;
    cost += BigInt(i.unitCostFen) * scaledQuantity(i.quantity);
    any = true;
  }
  if (!any) return undefined;
  const budget = BigInt(budgetFen) * QUANTITY_SCALE;
  const diff = cost > budget ? cost - budget : budget - cost;
  const within = diff * BigInt(FULL_BP) <= budget * BigInt(toleranceBp);
  const deviationBp = budget === 0n ? (diff === 0n ? 0 : FULL_BP) : Number((diff * BigInt(FULL_BP)) / budget);
  return { costScaled: cost, costFen: Number(cost / QUANTITY_SCALE), budgetFen, deviationBp, within };
}

export function lintTarget(t: LintSubject, policy: TargetReviewPolicy): LintProblem[] {
  const out: LintProblem[] = [];
  const error = (code: string, path: string, message: string, figures?: LintProblem['figures']) =>
    out.push({ code, path, message, severity: 'error', ...(figures ? { figures } : {}) });
  const warning = (code: string, path: string, message: string) => out.push({ code, path, message, severity: 'warning' });

  if (t.goal.trim() === '') error('NO_GOAL', 'goal', 'the target needs a goal (绩效目标)');
  const has = (level1: Level1) => t.indicators.some((i) => i.level1 === level1);
  if (!has('output')) error('NO_OUTPUT', 'indicators', 'at least one output indicator (产出指标) is needed');
  if (!has('benefit')) error('NO_BENEFIT', 'indicators', 'at least one benefit indicator (效益指标) is needed');
  if (t.kind === 'project' && t.category && (policy.satisfactionCategories as string[]).includes(t.category) && !has('satisfaction')) {
    error('NO_SATISFACTION', 'indicators', `a ${t.category} project serves the public: a satisfaction indicator (满意度指标) is needed`);
  }

  const seen = new Map<string, number>();
  t.indicators.forEach((ind, n) => {
    const at = (field: string) => `indicators[${n}].${field}`;
    const key = ind.code ?? `${ind.level1}#${ind.level2}#${ind.name}`;
    const first = seen.get(key);
    if (first !== undefined) warning('DUPLICATE_INDICATOR', at(ind.code ? 'code' : 'name'), `the same indicator as indicators[${first}]`);
    else seen.set(key, n);

    if (ind.direction === undefined) {
      error('MISSING_DIRECTION', at('direction'), 'give a direction: >=, <=, = or qualitative');
      if (ind.targetValue === undefined) error('MISSING_TARGET_VALUE', at('targetValue'), 'give a target value');
      return;
    }
    if (ind.direction === 'qualitative') {
      if (ind.targetValue === undefined || ind.targetValue === '') error('MISSING_TARGET_VALUE', at('targetValue'), 'a qualitative indicator needs its target in words');
      return;
    }
    if (!ind.unit) error('MISSING_UNIT', at('unit'), 'a quantitative indicator needs a unit');
    if (ind.targetValue === undefined) error('MISSING_TARGET_VALUE', at('targetValue'), 'a quantitative indicator needs a target value');
    else if (typeof ind.targetValue !== 'number') error('TARGET_NOT_A_NUMBER', at('targetValue'), `a quantitative indicator needs a number, not "${ind.targetValue}"`);
    else if (ind.benchmark !== undefined) {
      if (ind.direction === '>=' && ind.targetValue < ind.benchmark) warning('BELOW_BENCHMARK', at('targetValue'), `below the library's benchmark ${ind.benchmark}`);
      if (ind.direction === '<=' && ind.targetValue > ind.benchmark) warning('BELOW_BENCHMARK', at('targetValue'), `worse than the library's benchmark ${ind.benchmark}`);
    }
    if ((ind.unitCostFen === undefined) !== (ind.quantity === undefined)) {
      warning('COST_INCOMPLETE', at(ind.unitCostFen === undefined ? 'unitCostFen' : 'quantity'), 'give both unitCostFen and quantity for the cost match, or neither');
    }
  });

  const match = costMatch(t.indicators, t.budgetFen, policy.costToleranceBp);
  if (match && !match.within) {
    error(
      'COST_MISMATCH',
      'indicators',
      `unit cost × quantity is ${formatYuan(match.costFen)} against a budget of ${formatYuan(t.budgetFen)}: ${(match.deviationBp / 100).toFixed(2)}% off, more than the ±${(policy.costToleranceBp / 100).toFixed(2)}% allowed (与资金不匹配)`,
      { costFen: match.costFen, budgetFen: t.budgetFen, deviationBp: match.deviationBp, toleranceBp: policy.costToleranceBp },
    );
  }
  return out;
}

export const lintBlocks = (lint: LintProblem[]) => lint.some((l) => l.severity === 'error');

// ------------------------------------------------------------------ state machine

export type TargetAction = 'save' | 'submit' | Decision;

/**
 *   (none) ──save──▶ draft ──save──▶ draft
 *   draft ──submit (no lint errors)──▶ submitted
 *   submitted ──approve──▶ approved          (final; published if department-overall or level-1)
 *   submitted ──return──▶ returned ──save──▶ returned ──submit (revised, no lint errors)──▶ submitted
 *   submitted ──reject──▶ rejected           (final)
 */
const TRANSITIONS: Record<TargetStatus | 'none', Partial<Record<TargetAction, TargetStatus>>> = {
  none: { save: 'draft' },
  draft: { save: 'draft', submit: 'submitted' },
  submitted: { approve: 'approved', return: 'returned', reject: 'rejected' },
  returned: { save: 'returned', submit: 'submitted' },
  approved: {},
  rejected: {},
};

export function allowedActions(status: TargetStatus | undefined): TargetAction[] {
  return Object.keys(TRANSITIONS[status ?? 'none']) as TargetAction[];
}

/** The next status, or 409 ILLEGAL_TRANSITION naming the current status and what it allows. */
export function transition(status: TargetStatus | undefined, action: TargetAction): TargetStatus {
  const next = TRANSITIONS[status ?? 'none'][action];
  if (!next) {
    const allowed = allowedActions(status);
    throw new ConflictError(
      'ILLEGAL_TRANSITION',
      `A target that is ${status ?? 'not yet saved'} cannot be ${PAST[action]}${allowed.length ? `; it can be ${allowed.map((a) => PAST[a]).join(' or ')}` : ''}`,
      { status: status ?? null, action, allowed },
    );
  }
  return next;
}

const PAST: Record<TargetAction, string> = { save: 'saved', submit: 'submitted', approve: 'approved', return: 'returned', reject: 'rejected' };

/** What the target's state says about a submit beyond the transition itself. */
export function checkSubmit(t: { status: TargetStatus; version: number; returnedAtVersion?: number; lint: LintProblem[] }): void {
  transition(t.status, 'submit');
  if (t.status === 'returned' && t.returnedAtVersion !== undefined && t.version <= t.returnedAtVersion) {
    throw new ConflictError('NOT_REVISED', 'The target was returned: save a revised version before submitting it again', {
      status: t.status,
      version: t.version,
    });
  }
  if (lintBlocks(t.lint)) {
    const errors = t.lint.filter((l) => l.severity === 'error');
    throw new LintFailedError(errors);
  }
}

/** 409 with every blocking lint problem listed. */
export class LintFailedError extends ConflictError {
  override readonly details: FieldProblem[];
  constructor(errors: LintProblem[]) {
    super('LINT_FAILED', `The target has ${errors.length} lint error(s) to fix before it can be submitted`, { lint: errors });
    this.details = errors.map((e) => ({ path: e.path, message: `${e.code}: ${e.message}` }));
  }
}

export interface ReviewOutcome {
  status: TargetStatus;
  /** Grade 中 or 差: the review did not pass. */
  failing: boolean;
  returnCount: number;
  /** This review makes the TARGET_REVIEW_CUT. */
  cuts: boolean;
}

/**
 * A review's consequences. "Failing" is a return or a reject (grades 中, 差). The cut
 * (SPEC §3.4, 修改不合格的直接压减预算安排) comes with a rejection, or with a failing review
 * of a target that was returned before; only project targets carry a budget to cut, and a
 * target is cut at most once.
 */
export function reviewOutcome(
  t: { kind: TargetKind; status: TargetStatus; returnCount: number; cut?: unknown },
  decision: Decision,
): ReviewOutcome {
  const status = transition(t.status, decision);
  const failing = decision !== 'approve';
  const secondFailure = failing && t.returnCount >= 1;
  const cuts = t.kind === 'project' && !t.cut && (decision === 'reject' || secondFailure);
  return { status, failing, returnCount: t.returnCount + (decision === 'return' ? 1 : 0), cuts };
}

/**
 * The cut of one leaf: cutBp of its budget, rounded down, never below what has been spent.
 * Worked example: budget 12,345,678 fen, spent 2,000,000, cutBp 10000 → 10,345,678 fen cut,
 * budget after 2,000,000.
 */
export function leafCut(leaf: { budgetFen: Fen; spentFen: Fen }, cutBp: Bp): { amountFen: Fen; budgetAfterFen: Fen } {
  const wanted = mulDivFloor(leaf.budgetFen, cutBp, FULL_BP);
  const room = Math.max(0, leaf.budgetFen - leaf.spentFen);
  const amountFen = Math.min(wanted, room);
  return { amountFen, budgetAfterFen: leaf.budgetFen - amountFen };
}

/** New major projects need an ex-ante assessment before their target is approved (SPEC §3.1). */
export function needsExAnte(p: { isNew: boolean; budgetFen: Fen }, policy: Policy): boolean {
  return p.isNew && p.budgetFen >= policy.exAnte.minBudgetFen;
}

export function assertGradeFits(decision: Decision, grade: Grade): void {
  if (!GRADES_FOR[decision].includes(grade)) {
    throw new ValidationError([{ path: 'body.grade', message: `${decision} goes with grade ${GRADES_FOR[decision].join(' or ')}` }]);
  }
}

/** The public face of an indicator: no cost figures, no benchmark, nothing internal. */
export function publicIndicator(i: TargetIndicator) {
  const out: Record<string, unknown> = { level1: i.level1, level2: i.level2, name: i.name };
  if (i.code) out.code = i.code;
  if (i.unit) out.unit = i.unit;
  if (i.direction) out.direction = i.direction;
  if (i.targetValue !== undefined) out.targetValue = i.targetValue;
  return out;
}
