/**
 * What the routes answer, as zod schemas for the OpenAPI document (shared/http/openapi.ts) and
 * the integration tests, which check every response they receive against it. A route names
 * its schema with `response:` in functions/http/*.ts; a new route adds one line here (or uses
 * an existing schema) and one `response:` line there.
 *
 * Objects are loose: they list the fields a client relies on, with their types, and let the
 * server add fields without breaking the contract. Money is integer fen, ratios basis points.
 */
import * as z from 'zod';
import { INBOX_KINDS } from '../app/inbox/items';
import { DEDUCTION_RULES, DEDUCTION_STATUSES } from '../domain/ledger';
import { CATEGORIES, FUND_SOURCES, PROJECT_STATUSES } from '../domain/project';
import { TARGET_STATUSES, type TargetStatus } from '../domain/targets';
import type { FileBody } from './types';

const fen = z.number().int().meta({ description: '分 (fen), integer' });
const bp = z.number().int().meta({ description: '基点 (basis points), 10000 = 100%' });
const date = z.string().meta({ format: 'date' });
const instant = z.string().meta({ description: 'ISO 8601 UTC' });
const id = z.string();

/** A list page: `items`, and `nextToken` while there are more. */
export const page = <T extends z.ZodType>(item: T) => z.looseObject({ items: z.array(item), nextToken: z.string().optional() });
/** The same body for 201 (created) and 200 (the same request again, or an update). */
export const upsert = <T extends z.ZodType>(body: T) => ({ 200: body, 201: body }) as const;
/** A file by media type, with the JSON the same route answers on `?format=json`, if any. */
export const file = (files: readonly string[], json?: z.ZodType): FileBody => ({ files, ...(json ? { json } : {}) });
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV = 'text/csv';

export const health = z.looseObject({ status: z.literal('ok'), service: z.string() }).meta({ id: 'Health' });

export const department = z
  .looseObject({ deptId: id, name: z.string(), contactEmails: z.array(z.string()), version: z.number().int(), createdAt: instant, updatedAt: instant })
  .meta({ id: 'Department' });

export const policyView = z
  .looseObject({
    year: z.number().int(),
    policy: z.record(z.string(), z.unknown()),
    override: z.record(z.string(), z.unknown()),
    version: z.number().int(),
    updatedAt: instant.nullable(),
  })
  .meta({ id: 'PolicyView' });

const projectFields = {
  projectId: id,
  year: z.number().int(),
  deptId: id,
  level: z.union([z.literal(1), z.literal(2)]),
  parentId: id.optional(),
  name: z.string(),
  category: z.enum(CATEGORIES),
  domain: z.string(),
  fundSource: z.enum(FUND_SOURCES),
  budgetFen: fen,
  originalBudgetFen: fen,
  spentFen: fen,
  progressBp: bp,
  deferrable: z.boolean(),
  isNew: z.boolean(),
  status: z.enum(PROJECT_STATUSES),
  flags: z.array(z.string()),
  leaf: z.boolean(),
  version: z.number().int(),
  createdAt: instant,
  updatedAt: instant,
};
export const projectView = z.looseObject({ ...projectFields, children: z.array(id).optional() }).meta({ id: 'ProjectView' });

export const expenditure = z
  .looseObject({ expenditureId: id, projectId: id, date, amountFen: fen, kind: z.enum(['payment', 'refund']), createdAt: instant, createdBy: z.string() })
  .meta({ id: 'Expenditure' });
export const expenditureRecorded = z.looseObject({ ...expenditure.shape, project: z.looseObject({ spentFen: fen }) });

export const auditRecord = z
  .looseObject({
    auditId: id,
    entityType: z.string(),
    entityId: id,
    action: z.string(),
    actor: z.string(),
    at: instant,
    before: z.unknown(),
    after: z.unknown(),
  })
  .meta({ id: 'AuditRecord' });

export const indicator = z
  .looseObject({
    code: z.string(),
    scope: z.string(),
    category: z.string(),
    level1: z.string(),
    level2: z.string(),
    name: z.string(),
    unit: z.string().optional(),
    direction: z.string(),
  })
  .meta({ id: 'LibraryIndicator' });
export const indicatorPage = z.looseObject({ items: z.array(indicator), total: z.number().int(), nextToken: z.string().optional() });
export const indicatorSummary = z.looseObject({
  stats: z.record(z.string(), z.unknown()),
  version: z.number().int(),
  lastImport: z.unknown(),
  updatedAt: instant.nullable(),
});
export const indicatorImport = z.looseObject({
  importId: id,
  mode: z.string(),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  deleted: z.number().int(),
});

const lintProblem = z.looseObject({
  code: z.string(),
  path: z.string(),
  message: z.string(),
  severity: z.enum(['error', 'warning']).optional(),
  /** The figures a problem names (COST_MISMATCH: costFen, budgetFen, deviationBp, toleranceBp). */
  figures: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
});
const targetStatus = z.enum(TARGET_STATUSES as [TargetStatus, ...TargetStatus[]]).meta({ id: 'TargetStatus' });
/** An indicator of a target, as the department wrote it. */
export const targetIndicator = z
  .looseObject({
    source: z.enum(['library', 'custom']).optional(),
    code: z.string().optional(),
    level1: z.string(),
    level2: z.string().optional(),
    name: z.string(),
    unit: z.string().optional(),
    direction: z.string(),
    targetValue: z.union([z.number(), z.string()]).optional(),
    benchmark: z.number().optional(),
    unitCostFen: fen.optional(),
    quantity: z.number().optional(),
  })
  .meta({ id: 'TargetIndicator' });
export const targetView = z
  .looseObject({
    kind: z.enum(['project', 'department']),
    year: z.number().int(),
    deptId: id,
    projectId: id.optional(),
    status: targetStatus,
    version: z.number().int(),
    goal: z.string(),
    indicators: z.array(targetIndicator),
    lint: z.array(lintProblem),
    lintErrors: z.number().int(),
    lintWarnings: z.number().int(),
    allowedActions: z.array(z.string()),
    canSubmit: z.boolean(),
    returnCount: z.number().int(),
    budgetFen: fen.optional(),
    lastReview: z.looseObject({ decision: z.string(), grade: z.string(), comments: z.string(), at: instant }).optional(),
    updatedAt: instant,
  })
  .meta({ id: 'TargetView' });
export const history = z
  .looseObject({ versions: z.array(z.record(z.string(), z.unknown())), reviews: z.array(z.record(z.string(), z.unknown())) })
  .meta({ id: 'History' });
export const targetList = z
  .looseObject({
    items: z.array(
      z.looseObject({
        kind: z.enum(['project', 'department']),
        year: z.number().int(),
        deptId: id,
        projectId: id.optional(),
        level: z.union([z.literal(1), z.literal(2)]).optional(),
        status: targetStatus,
        version: z.number().int(),
        lintErrors: z.number().int(),
        returnCount: z.number().int(),
        lastReview: z.looseObject({ decision: z.string(), grade: z.string(), at: instant }).optional(),
        updatedAt: instant,
      }),
    ),
    counts: z.record(targetStatus, z.number().int()),
    nextToken: z.string().optional(),
  })
  .meta({ id: 'TargetList' });
const coverage = z.looseObject({ departments: z.number().int() });
export const publicTargets = z
  .looseObject({
    year: z.number().int(),
    items: z.array(
      z.looseObject({ kind: z.enum(['department', 'project']), deptId: id, projectId: id.optional(), goal: z.string(), indicators: z.array(targetIndicator) }),
    ),
    coverage: z.looseObject({ departments: z.number().int(), published: z.number().int() }),
    nextToken: z.string().optional(),
  })
  .meta({ id: 'PublicTargets' });

/** A monitoring report's line: the target's indicator with its actual value and outlook. */
const reportIndicator = z.looseObject({
  code: z.string().optional(),
  name: z.string(),
  level1: z.string().optional(),
  unit: z.string().optional(),
  direction: z.string().optional(),
  targetValue: z.union([z.number(), z.string()]).optional(),
  actualValue: z.union([z.number(), z.string()]),
  outlook: z.string(),
  deviationCause: z.string().optional(),
  measures: z.string().optional(),
});
export const monitoringReport = z
  .looseObject({
    projectId: id,
    deptId: id,
    year: z.number().int(),
    checkpoint: z.string(),
    version: z.number().int(),
    indicators: z.array(reportIndicator),
    outlook: z.string(),
    status: z.string(),
    filedAt: instant,
  })
  .meta({ id: 'MonitoringReport' });
export const monitoringReportWithVersions = z.looseObject({ ...monitoringReport.shape, versions: z.array(z.unknown()) });
export const monitoringOverview = z.looseObject({
  projectId: id,
  year: z.number().int(),
  items: z.array(
    z.looseObject({
      checkpoint: z.string(),
      date,
      benchmarkBp: bp,
      status: z.enum(['open', 'closed']),
      report: z
        .looseObject({
          version: z.number().int(),
          indicators: z.array(reportIndicator),
          note: z.string().optional(),
          filedAt: instant,
          outlook: z.string().nullable(),
          achievementBp: bp.optional(),
        })
        .nullable(),
    }),
  ),
});
export const projectLifted = z.looseObject({ ...projectFields, suspension: z.record(z.string(), z.unknown()) });
/** Projects and money of a checkpoint's snapshot, with its lights. */
const lightCounts = {
  projects: z.number().int(),
  budgetFen: fen,
  spentFen: fen,
  progressBp: bp,
  red: z.number().int(),
  yellow: z.number().int(),
  green: z.number().int(),
  suspended: z.number().int(),
};
export const snapshot = z
  .looseObject({
    year: z.number().int(),
    checkpoint: z.string(),
    asOf: date,
    benchmarkBp: bp,
    takenAt: instant,
    /** The whole checkpoint's totals, for the bureau (a department reads its own row). */
    totals: z.looseObject({ ...lightCounts, departments: z.number().int() }).optional(),
    projects: z.array(
      z.looseObject({
        projectId: id,
        deptId: id,
        name: z.string(),
        budgetFen: fen,
        spentFen: fen,
        progressBp: bp,
        achievementBp: bp.optional(),
        light: z.enum(['red', 'yellow', 'green']),
        flags: z.array(z.string()),
        outlook: z.string().optional(),
        reportVersion: z.number().int().optional(),
        suspended: z.boolean().optional(),
      }),
    ),
    departments: z.array(z.looseObject({ deptId: id, ...lightCounts })),
    nextToken: z.string().optional(),
  })
  .meta({ id: 'Snapshot' });

export const deduction = z
  .looseObject({
    deductionId: id,
    rule: z.enum(DEDUCTION_RULES),
    year: z.number().int(),
    deptId: id,
    projectId: id.optional(),
    asOf: date,
    amountFen: fen,
    budgetBeforeFen: fen,
    budgetAfterFen: fen,
    status: z.enum(DEDUCTION_STATUSES),
    appealDeadline: date.optional(),
    appeal: z.looseObject({ reason: z.string(), at: instant, by: z.string(), deadline: date }).optional(),
    decision: z.looseObject({ decision: z.enum(['uphold', 'reverse']), comment: z.string(), at: instant, by: z.string() }).optional(),
    createdAt: instant,
  })
  .meta({ id: 'Deduction' });
export const deductionDecided = z.looseObject({ deduction, reversal: deduction.optional(), emails: z.number().int() });

export const exemption = z
  .looseObject({
    exemptionId: id,
    projectId: id,
    year: z.number().int(),
    deptId: id,
    rule: z.string(),
    checkpoint: z.string(),
    reason: z.string(),
    status: z.string(),
    version: z.number().int(),
    requestedAt: instant,
  })
  .meta({ id: 'Exemption' });

const idleFields = { kind: z.string(), deptId: id, status: z.string(), version: z.number().int(), createdAt: instant, updatedAt: instant };
export const carryover = z.looseObject({ ...idleFields, carryoverId: id, originYear: z.number().int(), balanceFen: fen }).meta({ id: 'Carryover' });
export const payable = z.looseObject({ ...idleFields, payableId: id, counterparty: z.string(), amountFen: fen, since: date }).meta({ id: 'Payable' });
export const accountBalance = z
  .looseObject({ ...idleFields, accountId: id, unitName: z.string(), balanceFen: fen, lastMovementDate: date })
  .meta({ id: 'AccountBalance' });
export const idleImport = z
  .looseObject({ kind: z.string(), rows: z.number().int(), created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() })
  .meta({ id: 'IdleImport' });
const ruleTotals = z.record(z.string(), z.looseObject({ deductions: z.number().int(), amountFen: fen }));
const sweepTotals = {
  deductions: z.number().int(),
  amountFen: fen,
  byRule: ruleTotals,
  byDept: z.array(z.looseObject({ deptId: id, deductions: z.number().int(), amountFen: fen, byRule: ruleTotals })),
};
export const sweeps = z.looseObject({
  year: z.number().int(),
  sweeps: z.array(z.looseObject({ asOf: date, ...sweepTotals })),
  totals: z.looseObject(sweepTotals),
});

export const pool = z
  .looseObject({
    year: z.number().int(),
    balanceFen: fen,
    inFen: fen,
    outFen: fen,
    reversedFen: fen,
    byRule: z.record(z.string(), fen),
    allocations: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Pool' });
export const allocation = z
  .looseObject({
    allocationId: id,
    year: z.number().int(),
    projectId: id,
    deptId: id,
    amountFen: fen,
    reason: z.string(),
    budgetBeforeFen: fen,
    budgetAfterFen: fen,
    poolBalanceAfterFen: fen,
    createdAt: instant,
  })
  .meta({ id: 'Allocation' });

export const exAnte = z
  .looseObject({
    assessmentId: id,
    projectId: id,
    deptId: id,
    year: z.number().int(),
    version: z.number().int(),
    remit: z.boolean(),
    scores: z.record(z.string(), z.unknown()),
    weightedBp: bp,
    outcome: z.string(),
    at: instant,
  })
  .meta({ id: 'ExAnteAssessment' });

export const ranking = z
  .looseObject({ deptId: id, year: z.number().int(), projectIds: z.array(id), version: z.number().int(), at: instant })
  .meta({ id: 'DepartmentRanking' });
/** A project in a funding round's order (its assessment score and its department's rank, when it has them). */
const rankEntry = {
  projectId: id,
  deptId: id,
  budgetFen: fen,
  weightedBp: bp.optional(),
  outcome: z.string().optional(),
  deptRank: z.number().int().optional(),
};
export const fundingRound = z
  .looseObject({
    roundId: id,
    year: z.number().int(),
    domain: z.string(),
    capFen: fen,
    order: z.array(z.looseObject({ ...rankEntry, position: z.number().int() })),
    funded: z.array(z.looseObject(rankEntry)),
    unfunded: z.array(z.looseObject({ projectId: id, deptId: id, budgetFen: fen, reason: z.string() })),
    fundedFen: fen,
    leftFen: fen,
    at: instant,
  })
  .meta({ id: 'FundingRound' });

export const cleanupCandidates = z.looseObject({
  scan: z.unknown(),
  items: z.array(z.looseObject({ kind: z.string(), projectIds: z.array(id), deptIds: z.array(id) })),
});
export const cleanupTotals = z.looseObject({
  year: z.number().int(),
  projects: z.number().int(),
  cutFen: fen,
  byDept: z.record(z.string(), z.unknown()),
  reversed: z.unknown(),
});
export const projectCancelled = z.looseObject({ project: projectView, deductions: z.array(z.unknown()), amountFen: fen, emails: z.number().int() });

export const selfEvaluation = z
  .looseObject({
    projectId: id,
    deptId: id,
    year: z.number().int(),
    status: z.string(),
    indicators: z.array(z.unknown()),
    version: z.number().int().optional(),
    scoreCp: z.number().int().optional(),
    grade: z.string().optional(),
  })
  .meta({ id: 'SelfEvaluation' });
export const selfEvaluationList = z.looseObject({
  items: z.array(z.looseObject({ projectId: id, deptId: id, year: z.number().int(), status: z.string(), version: z.number().int() })),
  total: z.number().int(),
  grades: z.record(z.string(), z.number().int()),
});
export const published = z.looseObject({ deptId: id, year: z.number().int(), published: z.boolean(), confirmed: z.number().int() });
export const publicSelfEvaluations = z
  .looseObject({
    year: z.number().int(),
    items: z.array(z.looseObject({ deptId: id, projectId: id, name: z.string(), scoreCp: z.number().int(), grade: z.string() })),
    coverage,
  })
  .meta({ id: 'PublicSelfEvaluations' });

export const evaluation = z
  .looseObject({
    evaluationId: id,
    year: z.number().int(),
    kind: z.string(),
    title: z.string(),
    projectIds: z.array(id),
    deptIds: z.array(id),
    panel: z.array(z.unknown()),
    fundsFen: fen,
    status: z.string(),
    createdAt: instant,
  })
  .meta({ id: 'Evaluation' });
export const evaluationList = z.looseObject({ items: z.array(evaluation), total: z.number().int() });
export const evaluationSummary = z.looseObject({
  year: z.number().int(),
  count: z.number().int(),
  finalized: z.number().int(),
  fundsFen: fen,
  suggestions: z.number().int(),
});
export const expertScores = z.looseObject({ evaluationId: id, sub: z.string(), scores: z.record(z.string(), z.unknown()), at: instant });
export const suggestion = z
  .looseObject({
    suggestionId: id,
    evaluationId: id,
    year: z.number().int(),
    deptId: id,
    text: z.string(),
    dueDate: date,
    status: z.string(),
    overdue: z.boolean(),
    history: z.array(z.unknown()),
  })
  .meta({ id: 'Suggestion' });
export const suggestionList = z.looseObject({ items: z.array(suggestion), total: z.number().int(), overdue: z.number().int() });
export const proposals = z.looseObject({
  year: z.number().int(),
  appliesTo: z.number().int(),
  items: z.array(
    z.looseObject({ proposalId: id, projectId: id, deptId: id, grade: z.string(), action: z.string(), cutBp: bp, proposedCutFen: fen, status: z.string() }),
  ),
  totals: z.record(z.string(), z.unknown()),
});
export const proposalDecided = z.looseObject({
  decision: z.unknown(),
  deductions: z.number().int(),
  amountFen: fen,
  applied: z.number().int(),
  alreadyApplied: z.number().int(),
  none: z.number().int(),
});

export const jobRun = z
  .looseObject({
    runId: id,
    job: z.string(),
    asOf: date,
    status: z.enum(['running', 'succeeded', 'failed', 'deferred']),
    summary: z.record(z.string(), z.unknown()).nullable().optional(),
    requestedBy: z.string().optional(),
    startedAt: instant.optional(),
    finishedAt: instant.optional(),
    error: z.string().optional(),
  })
  .meta({ id: 'JobRun' });

export const inbox = z
  .looseObject({
    year: z.number().int(),
    today: date,
    items: z.array(
      z.looseObject({
        kind: z.enum(INBOX_KINDS).meta({ id: 'InboxKind' }),
        title: z.string(),
        deptId: id.optional(),
        projectId: id.optional(),
        targetKind: z.enum(['project', 'department']).optional(),
        targetStatus: z.union([targetStatus, z.literal('none')]).optional(),
        deductionId: id.optional(),
        rule: z.string().optional(),
        amountFen: fen.optional(),
        exemptionId: id.optional(),
        runId: id.optional(),
        job: z.string().optional(),
        asOf: date.optional(),
        dueDate: date.optional(),
        since: instant.optional(),
      }),
    ),
    counts: z.partialRecord(z.enum(INBOX_KINDS), z.number().int()),
    total: z.number().int(),
    truncated: z.boolean().optional(),
  })
  .meta({ id: 'Inbox' });
