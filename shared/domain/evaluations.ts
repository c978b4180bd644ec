/**
 * Evaluation entities (SPEC §3.9, §3.10) as they are stored and as they cross layers: the
 * self-evaluation with its review state machine, the key evaluation and its expert scores,
 * the suggestion with its rectification state machine, the results proposal. Request bodies
 * are validated here (zod); the scoring rules are in rules/self-evaluation.ts,
 * rules/key-evaluation.ts and rules/results.ts.
 */
import * as z from './zod';
import { ConflictError } from './errors';
import { fenSchema, idSchema, yearSchema } from './project';
import type { CriteriaScores } from './rules/key-evaluation';
import type { ProposalAction } from './rules/results';
import type { DerivationLine, ScoreGrade } from './rules/self-evaluation';

const text = (max: number) => z.string().check(z.trim(), z.maxLength(max));

// ------------------------------------------------------------------ self-evaluation

export const selfEvaluationBody = z.strictObject({
  indicators: z._default(
    z
      .array(
        z.union([
          z.strictObject({
            index: z.number().check(z.int(), z.gte(0), z.lte(99)),
            actual: z.number().check(z.refine(Number.isFinite, 'must be a finite number')),
          }),
          z.strictObject({
            index: z.number().check(z.int(), z.gte(0), z.lte(99)),
            band: z.enum(['achieved', 'partial', 'missed']),
            pct: z.number().check(z.int(), z.gte(0), z.lte(100)),
          }),
        ]),
      )
      .check(z.maxLength(100)),
    [],
  ),
  summary: z._default(text(4000), ''),
  problems: z._default(text(4000), ''),
  measures: z._default(text(4000), ''),
});
export type SelfEvaluationBody = z.infer<typeof selfEvaluationBody>;

export const selfEvaluationReviewBody = z.strictObject({ decision: z.enum(['confirm', 'return']), comments: z._default(text(4000), '') }).check(
  z.superRefine((r, ctx) => {
    if (r.decision === 'return' && r.comments === '')
      ctx.addIssue({ code: 'custom', path: ['comments'], message: '退回须说明理由 (a return needs the reasons)' });
  }),
);
export type SelfEvaluationReviewBody = z.infer<typeof selfEvaluationReviewBody>;

/**
 * draft → submitted → (finance confirms) finance-confirmed → (performance confirms) confirmed;
 * either reviewer may return it (returned), the department revises (draft) and resubmits.
 */
export const SELF_EVALUATION_STATUSES = ['draft', 'submitted', 'finance-confirmed', 'returned', 'confirmed'] as const;
export type SelfEvaluationStatus = (typeof SELF_EVALUATION_STATUSES)[number];

export interface SelfEvaluationReview {
  reviewId: string;
  stage: 'finance' | 'performance';
  decision: 'confirm' | 'return';
  comments: string;
  at: string;
  by: string;
  version: number;
}

export interface StoredSelfEvaluation {
  projectId: string;
  deptId: string;
  year: number;
  name: string;
  status: SelfEvaluationStatus;
  /** Saved content versions: 1, 2, … */
  version: number;
  /** Every write (save, submit, review) adds one; writes are guarded by it. */
  rev: number;
  indicators: SelfEvaluationBody['indicators'];
  summary: string;
  problems: string;
  measures: string;
  budgetFen: number;
  spentFen: number;
  targetVersion: number;
  prefilledFrom?: { checkpoint: string; version: number };
  scoreCp: number;
  grade: ScoreGrade;
  total: string;
  weights: Record<string, string>;
  breakdown: DerivationLine[];
  lastReview?: SelfEvaluationReview;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

export type SelfEvaluationAction = 'save' | 'submit' | 'finance-confirm' | 'performance-confirm' | 'return';

const NEXT: Record<SelfEvaluationAction, Partial<Record<SelfEvaluationStatus | 'none', SelfEvaluationStatus>>> = {
  save: { none: 'draft', draft: 'draft', returned: 'draft' },
  submit: { draft: 'submitted' },
  'finance-confirm': { submitted: 'finance-confirmed' },
  'performance-confirm': { 'finance-confirmed': 'confirmed' },
  return: { submitted: 'returned', 'finance-confirmed': 'returned' },
};

export function selfEvaluationTransition(status: SelfEvaluationStatus | undefined, action: SelfEvaluationAction): SelfEvaluationStatus {
  const next = NEXT[action][status ?? 'none'];
  if (!next) {
    throw new ConflictError(
      'ILLEGAL_TRANSITION',
      `自评状态为 ${status ?? '未填报'}，不能执行 ${action} (a ${status ?? 'missing'} self-evaluation cannot ${action})`,
      {
        status: status ?? null,
        action,
      },
    );
  }
  return next;
}

// ------------------------------------------------------------------ key evaluations

export const EVALUATION_KINDS = ['industry-policy', 'livelihood-policy', 'livelihood-project', 'department-overall'] as const;
export type EvaluationKind = (typeof EVALUATION_KINDS)[number];
export const PANEL_KINDS = ['deputy', 'cppcc', 'agency', 'expert'] as const;

export const createEvaluationBody = z
  .strictObject({
    evaluationId: idSchema,
    year: yearSchema,
    kind: z.enum(EVALUATION_KINDS),
    title: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
    projectIds: z._default(z.array(idSchema).check(z.maxLength(200)), []),
    deptId: z.optional(idSchema),
    policyName: z.optional(text(200)),
    fundsFen: fenSchema,
    panel: z._default(
      z
        .array(
          z.strictObject({ name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)), kind: z.enum(PANEL_KINDS), org: z._default(text(200), '') }),
        )
        .check(z.maxLength(50)),
      [],
    ),
    experts: z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(128))).check(z.minLength(1), z.maxLength(20)),
  })
  .check(
    z.superRefine((e, ctx) => {
      if (e.kind === 'department-overall' && !e.deptId)
        ctx.addIssue({ code: 'custom', path: ['deptId'], message: '部门整体评价须指明部门 (a department-overall evaluation names deptId)' });
      if (new Set(e.experts).size !== e.experts.length) ctx.addIssue({ code: 'custom', path: ['experts'], message: 'experts must be distinct' });
    }),
  );
export type CreateEvaluationBody = z.infer<typeof createEvaluationBody>;

const criterion = z.number().check(z.int(), z.gte(0), z.lte(100));
export const scoresBody = z.strictObject({ decision: criterion, process: criterion, output: criterion, benefit: criterion, comment: z.optional(text(2000)) });
export type ScoresBody = z.infer<typeof scoresBody>;

export const finalizeBody = z.strictObject({
  findings: z.string().check(z.trim(), z.minLength(1), z.maxLength(8000)),
  suggestions: z._default(
    z
      .array(
        z.strictObject({
          suggestionId: idSchema,
          deptId: idSchema,
          text: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000)),
          dueDate: z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/))),
        }),
      )
      .check(z.maxLength(90)),
    [],
  ),
});
export type FinalizeBody = z.infer<typeof finalizeBody>;

export interface StoredKeyEvaluation {
  evaluationId: string;
  year: number;
  kind: EvaluationKind;
  title: string;
  projectIds: string[];
  /** The departments the evaluation concerns: of its projects, or its deptId. */
  deptIds: string[];
  deptId?: string;
  policyName?: string;
  fundsFen: number;
  panel: { name: string; kind: (typeof PANEL_KINDS)[number]; org: string }[];
  experts: string[];
  status: 'open' | 'finalized';
  rev: number;
  requestHash: string;
  findings?: string;
  suggestionIds?: string[];
  scoreCp?: number;
  grade?: ScoreGrade;
  finalizedAt?: string;
  createdAt: string;
  createdBy: string;
}

export interface ExpertScore {
  evaluationId: string;
  sub: string;
  scores: CriteriaScores;
  comment?: string;
  at: string;
}

// ------------------------------------------------------------------ rectification

export const SUGGESTION_STATUSES = ['open', 'in-progress', 'done', 'accepted'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

export const rectificationBody = z.strictObject({
  status: z.enum(['in-progress', 'done']),
  note: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
});
export const suggestionReviewBody = z.strictObject({ decision: z.enum(['accept', 'reopen']), comment: z._default(text(4000), '') }).check(
  z.superRefine((r, ctx) => {
    if (r.decision === 'reopen' && r.comment === '')
      ctx.addIssue({ code: 'custom', path: ['comment'], message: '重新打开须说明理由 (a reopen needs the reasons)' });
  }),
);

export interface StoredSuggestion {
  suggestionId: string;
  evaluationId: string;
  year: number;
  deptId: string;
  text: string;
  dueDate: string;
  status: SuggestionStatus;
  rev: number;
  history: { status: SuggestionStatus; note: string; at: string; by: string }[];
  createdAt: string;
}

/**
 * The department: open → in-progress → done (or open → done; in-progress again to add a note).
 * The performance office: done → accepted, or done → open (reopened).
 */
export function rectificationTransition(status: SuggestionStatus, action: 'in-progress' | 'done' | 'accept' | 'reopen'): SuggestionStatus {
  const allowed: Record<typeof action, SuggestionStatus[]> = {
    'in-progress': ['open', 'in-progress'],
    done: ['open', 'in-progress'],
    accept: ['done'],
    reopen: ['done'],
  };
  if (!allowed[action].includes(status)) {
    throw new ConflictError('ILLEGAL_TRANSITION', `整改状态为 ${status}，不能执行 ${action} (a ${status} suggestion cannot go ${action})`, { status, action });
  }
  return action === 'accept' ? 'accepted' : action === 'reopen' ? 'open' : action;
}

/** Overdue: not accepted (or reported done) by its due date. */
export const isOverdue = (s: Pick<StoredSuggestion, 'status' | 'dueDate'>, today: string) =>
  (s.status === 'open' || s.status === 'in-progress') && s.dueDate < today;

// ------------------------------------------------------------------ results proposals

export const proposalDecisionBody = z.strictObject({ decision: z.enum(['confirm', 'drop']), comment: z._default(text(2000), '') });

export interface StoredProposal {
  /** The graded project's id. */
  proposalId: string;
  year: number;
  projectId: string;
  deptId: string;
  grade: ScoreGrade;
  gradeSource: 'key-evaluation' | 'self-evaluation';
  gradeSourceId: string;
  action: ProposalAction;
  cutBp: number;
  status: 'confirmed' | 'dropped';
  /** The as-of date of the RESULTS_CUT deductions it makes (the day it was confirmed). */
  decidedOn: string;
  decidedBy: string;
  comment: string;
}
