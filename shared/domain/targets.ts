/**
 * Performance targets and their review (绩效目标审核, SPEC §3.4; 财预〔2015〕88号).
 *
 * - What a target is (goal + indicators from the library or custom) and how its indicators are
 *   read in the taxonomy of the target's year.
 * - The review state machine and when a review cuts the budget (TARGET_REVIEW_CUT).
 * - The stored shapes (StoredTarget, ReviewRecord, CutRecord) the use cases and the repository share.
 *
 * The lint and the cut itself are the rule in `rules/target-review.ts`.
 *
 * Pure: the library entries, the budget and the policy come in as arguments.
 */
import * as z from './zod';
import { ConflictError, type FieldProblem, ValidationError } from './errors';
import { CODE_PATTERN, type Direction, type Indicator, isLevel2Of, type Level1, level2Codes, readAs, type Taxonomy, taxonomyOf } from './indicators';
import type { Fen } from './money';
import { canonicalLevel2, directionInput, level1Input } from './vocabulary';
import type { Policy } from './policy';
import { fenSchema } from './project';

// ------------------------------------------------------------------ input

/** Quantities may have up to 4 decimal places (12.5 km, 0.25 年); they are computed exactly. */
export const QUANTITY_DECIMALS = 4;
export const QUANTITY_PATTERN = /^\d{1,13}(\.\d{1,4})?$/;

const quantitySchema = z.number().check(
  z.positive('must be more than 0'),
  z.lte(1e12),
  z.refine((q) => QUANTITY_PATTERN.test(String(q)), `at most ${QUANTITY_DECIMALS} decimal places`),
);

const targetValueSchema = z.union([z.number().check(z.refine(Number.isFinite, 'must be a finite number')), z.string().check(z.trim(), z.maxLength(200))]);

/**
 * One indicator of a target as sent: `code` names a library indicator (its level1, level2,
 * name, unit and direction come from the library; if sent, they must match it), otherwise a
 * custom one gives level1, level2 and name. Unit, direction and target value may be left out
 * while drafting: the lint lists what is missing.
 */
export const targetIndicatorInput = z
  .strictObject({
    code: z.optional(z.string().check(z.regex(CODE_PATTERN, 'not an indicator code'))),
    level1: z.optional(level1Input()),
    level2: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(40))),
    name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
    unit: z.optional(z.string().check(z.trim(), z.maxLength(20))),
    direction: z.optional(directionInput()),
    targetValue: z.optional(targetValueSchema),
    /** Unit cost (单位成本) for the cost-match check, integer fen. */
    unitCostFen: z.optional(fenSchema),
    /** Quantity (数量) for the cost-match check. */
    quantity: z.optional(quantitySchema),
    /** Shown by GET; ignored on PUT (the library's value is used). */
    benchmark: z.optional(z.number()),
    source: z.optional(z.enum(['library', 'custom'])),
  })
  .check(
    z.superRefine((i, ctx) => {
      if (i.code) return;
      for (const field of ['level1', 'level2', 'name'] as const) {
        if (i[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'a custom indicator (no code) needs level1, level2 and name' });
      }
    }),
  );
export type TargetIndicatorInput = z.infer<typeof targetIndicatorInput>;

export const targetBody = z.strictObject({
  goal: z.string().check(z.trim(), z.maxLength(2000)),
  indicators: z.array(targetIndicatorInput).check(z.maxLength(100)),
  /** The version this edit is based on (0: there is none yet); a stale one gets 409. */
  version: z.optional(z.number().check(z.int(), z.gte(0))),
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
    comments: z._default(z.string().check(z.trim(), z.maxLength(4000)), ''),
  })
  .check(
    z.superRefine((r, ctx) => {
      const allowed = GRADES_FOR[r.decision];
      if (!allowed.includes(r.grade)) {
        ctx.addIssue({ code: 'custom', path: ['grade'], message: `${r.decision} goes with grade ${allowed.join(' or ')} (财预〔2015〕88号)` });
      }
      if (r.decision !== 'approve' && r.comments === '') {
        ctx.addIssue({ code: 'custom', path: ['comments'], message: `a ${r.decision} needs the reasons` });
      }
    }),
  );
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
        const sent = field === 'level2' ? level2Code(input.level1 ?? lib.level1, input.level2, taxonomy) : input[field];
        if (sent !== undefined && !accepted.includes(sent)) {
          problems.push({
            path: at(field),
            message: `differs from the library's ${JSON.stringify(accepted[0] ?? '')}; leave it out or send the library's value`,
          });
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
    const level2 = level2Code(level1, input.level2, taxonomy) as string;
    const read = customLevels(taxonomy, year, level1, level2);
    if (!read) {
      const hint = taxonomy === '2021' && level1 === 'output' && level2 === 'cost' ? ' — in the 2021 framework cost is a level-1 indicator (level1 cost)' : '';
      problems.push({
        path: at('level2'),
        message: `"${level2}" is not a level-2 of ${level1} in the ${taxonomy} framework (${allowedLevel2(taxonomy, level1).join(', ')})${hint}`,
      });
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
  const keysInOrder: (keyof TargetIndicator)[] = [
    'source',
    'code',
    'level1',
    'level2',
    'name',
    'unit',
    'direction',
    'targetValue',
    'benchmark',
    'unitCostFen',
    'quantity',
  ];
  const out: Record<string, unknown> = {};
  for (const k of keysInOrder) if (i[k] !== undefined) out[k] = i[k];
  return out as unknown as TargetIndicator;
}

/** A level-2 as sent (数量, 数量指标 or quantity), as its code; what no word names stays as sent. */
function level2Code(level1: Level1, sent: string | undefined, taxonomy: Taxonomy): string | undefined {
  if (sent === undefined) return undefined;
  return canonicalLevel2(level1, sent, taxonomy === 'pre-2021') ?? sent;
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
  const errors = t.lint.filter((l) => l.severity === 'error');
  if (errors.length > 0) throw new LintFailedError(errors);
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
export function reviewOutcome(t: { kind: TargetKind; status: TargetStatus; returnCount: number; cut?: unknown }, decision: Decision): ReviewOutcome {
  const status = transition(t.status, decision);
  const failing = decision !== 'approve';
  const secondFailure = failing && t.returnCount >= 1;
  const cuts = t.kind === 'project' && !t.cut && (decision === 'reject' || secondFailure);
  return { status, failing, returnCount: t.returnCount + (decision === 'return' ? 1 : 0), cuts };
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

// ------------------------------------------------------------------ what is stored

/** Which target: a project's, or a department's overall target of a year. */
export type TargetRef = { kind: 'project'; projectId: string } | { kind: 'department'; deptId: string; year: number };

export interface ReviewRecord {
  reviewId: string;
  version: number;
  decision: Decision;
  grade: Grade;
  comments: string;
  failing: boolean;
  /** Returns before this review. */
  returnCountBefore: number;
  cuts: boolean;
  by: string;
  at: string;
}

export interface CutLeaf {
  projectId: string;
  amountFen: number;
  budgetBeforeFen: number;
  budgetAfterFen: number;
}

export interface CutRecord {
  reviewId: string;
  state: 'pending' | 'done';
  asOf: string;
  cutBp: number;
  deductionIds?: string[];
  amountFen?: number;
  leaves?: CutLeaf[];
}

export interface StoredTarget {
  kind: TargetKind;
  year: number;
  deptId: string;
  projectId?: string;
  level?: 1 | 2;
  goal: string;
  indicators: TargetIndicator[];
  lint: LintProblem[];
  taxonomy: '2021' | 'pre-2021';
  /** The budget the last lint compared with. */
  budgetFen: number;
  status: TargetStatus;
  /** Saved versions: 1, 2, … (status changes keep the version). */
  version: number;
  returnCount: number;
  returnedAtVersion?: number;
  lastReview?: ReviewRecord;
  cut?: CutRecord;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  submittedAt?: string;
  submittedBy?: string;
}

/** An immutable saved version: what was saved, by whom, in which status. */
export interface TargetVersionRecord {
  version: number;
  goal: string;
  indicators: TargetIndicator[];
  lint: LintProblem[];
  budgetFen: number;
  statusAtSave: TargetStatus;
  savedBy: string;
  savedAt: string;
}

/** The ref of a stored target (from the target itself). */
export function refOf(t: Pick<StoredTarget, 'kind' | 'projectId' | 'deptId' | 'year'>): TargetRef {
  return t.kind === 'project' ? { kind: 'project', projectId: t.projectId as string } : { kind: 'department', deptId: t.deptId, year: t.year };
}

/** Approved department-overall and level-1 targets are public (SPEC §3.4). */
export const isPublished = (t: Pick<StoredTarget, 'status' | 'kind' | 'level'>) => t.status === 'approved' && (t.kind === 'department' || t.level === 1);
