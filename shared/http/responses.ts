/**
 * What the routes answer, as zod schemas for the OpenAPI document (shared/http/openapi.ts) and
 * the integration tests, which check every response they receive against it. A route names
 * its schema with `response:` in functions/http/*.ts; a new route adds one line here (or uses
 * an existing schema) and one `response:` line there.
 *
 * Objects are loose: they list the fields a client relies on, with their types, and let the
 * server add fields without breaking the contract. Money is integer fen, ratios basis points.
 */
import * as z from '../domain/zod';
import { INBOX_KINDS } from '../app/inbox/items';
import { DEDUCTION_RULES, DEDUCTION_STATUSES } from '../domain/ledger';
import { CATEGORIES, FUND_SOURCES, PROJECT_STATUSES } from '../domain/project';
import { TARGET_STATUSES, type TargetStatus } from '../domain/targets';
import { EVALUATION_KINDS, PANEL_KINDS, SELF_EVALUATION_STATUSES, SUGGESTION_STATUSES } from '../domain/evaluations';
import { CANDIDATE_KINDS } from '../domain/rules/cleanup';
import { type Band, BANDS } from '../domain/rules/self-evaluation';
import type { FileBody } from './types';

const fen = z.number().check(z.int(), z.meta({ description: '分 (fen), integer' }));
const bp = z.number().check(z.int(), z.meta({ description: '基点 (basis points), 10000 = 100%' }));
const date = z.string().check(z.meta({ format: 'date' }));
const instant = z.string().check(z.meta({ description: 'ISO 8601 UTC' }));
const id = z.string();

/** A list page: `items`, and `nextToken` while there are more. */
export const page = <T extends z.ZodMiniType>(item: T) => z.looseObject({ items: z.array(item), nextToken: z.optional(z.string()) });
/** The same body for 201 (created) and 200 (the same request again, or an update). */
export const upsert = <T extends z.ZodMiniType>(body: T) => ({ 200: body, 201: body }) as const;
/** A file by media type, with the JSON the same route answers on `?format=json`, if any. */
export const file = (files: readonly string[], json?: z.ZodMiniType): FileBody => ({ files, ...(json ? { json } : {}) });
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV = 'text/csv';

export const health = z.looseObject({ status: z.literal('ok'), service: z.string() }).check(z.meta({ id: 'Health' }));

export const department = z
  .looseObject({ deptId: id, name: z.string(), contactEmails: z.array(z.string()), version: z.number().check(z.int()), createdAt: instant, updatedAt: instant })
  .check(z.meta({ id: 'Department' }));

export const policyView = z
  .looseObject({
    year: z.number().check(z.int()),
    policy: z.record(z.string(), z.unknown()),
    override: z.record(z.string(), z.unknown()),
    version: z.number().check(z.int()),
    updatedAt: z.nullable(instant),
  })
  .check(z.meta({ id: 'PolicyView' }));

const projectFields = {
  projectId: id,
  year: z.number().check(z.int()),
  deptId: id,
  level: z.union([z.literal(1), z.literal(2)]),
  parentId: z.optional(id),
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
  version: z.number().check(z.int()),
  createdAt: instant,
  updatedAt: instant,
};
export const projectView = z.looseObject({ ...projectFields, children: z.optional(z.array(id)) }).check(z.meta({ id: 'ProjectView' }));

export const expenditure = z
  .looseObject({ expenditureId: id, projectId: id, date, amountFen: fen, kind: z.enum(['payment', 'refund']), createdAt: instant, createdBy: z.string() })
  .check(z.meta({ id: 'Expenditure' }));
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
  .check(z.meta({ id: 'AuditRecord' }));

export const indicator = z
  .looseObject({
    code: z.string(),
    scope: z.string(),
    category: z.string(),
    level1: z.string(),
    level2: z.string(),
    name: z.string(),
    unit: z.optional(z.string()),
    direction: z.string(),
  })
  .check(z.meta({ id: 'LibraryIndicator' }));
export const indicatorPage = z.looseObject({ items: z.array(indicator), total: z.number().check(z.int()), nextToken: z.optional(z.string()) });
export const indicatorSummary = z.looseObject({
  stats: z.record(z.string(), z.unknown()),
  version: z.number().check(z.int()),
  lastImport: z.unknown(),
  updatedAt: z.nullable(instant),
});
export const indicatorImport = z.looseObject({
  importId: id,
  mode: z.string(),
  rows: z.number().check(z.int()),
  created: z.number().check(z.int()),
  updated: z.number().check(z.int()),
  unchanged: z.number().check(z.int()),
  deleted: z.number().check(z.int()),
});

const lintProblem = z.looseObject({
  code: z.string(),
  path: z.string(),
  message: z.string(),
  severity: z.optional(z.enum(['error', 'warning'])),
  /** The figures a problem names (COST_MISMATCH: costFen, budgetFen, deviationBp, toleranceBp). */
  figures: z.optional(z.record(z.string(), z.union([z.number(), z.string()]))),
});
const targetStatus = z.enum(TARGET_STATUSES as [TargetStatus, ...TargetStatus[]]).check(z.meta({ id: 'TargetStatus' }));
/** An indicator of a target, as the department wrote it. */
export const targetIndicator = z
  .looseObject({
    source: z.optional(z.enum(['library', 'custom'])),
    code: z.optional(z.string()),
    level1: z.string(),
    level2: z.optional(z.string()),
    name: z.string(),
    unit: z.optional(z.string()),
    direction: z.string(),
    targetValue: z.optional(z.union([z.number(), z.string()])),
    benchmark: z.optional(z.number()),
    unitCostFen: z.optional(fen),
    quantity: z.optional(z.number()),
  })
  .check(z.meta({ id: 'TargetIndicator' }));
export const targetView = z
  .looseObject({
    kind: z.enum(['project', 'department']),
    year: z.number().check(z.int()),
    deptId: id,
    projectId: z.optional(id),
    status: targetStatus,
    version: z.number().check(z.int()),
    goal: z.string(),
    indicators: z.array(targetIndicator),
    lint: z.array(lintProblem),
    lintErrors: z.number().check(z.int()),
    lintWarnings: z.number().check(z.int()),
    allowedActions: z.array(z.string()),
    canSubmit: z.boolean(),
    returnCount: z.number().check(z.int()),
    budgetFen: z.optional(fen),
    lastReview: z.optional(z.looseObject({ decision: z.string(), grade: z.string(), comments: z.string(), at: instant })),
    updatedAt: instant,
  })
  .check(z.meta({ id: 'TargetView' }));
export const history = z
  .looseObject({ versions: z.array(z.record(z.string(), z.unknown())), reviews: z.array(z.record(z.string(), z.unknown())) })
  .check(z.meta({ id: 'History' }));
export const targetList = z
  .looseObject({
    items: z.array(
      z.looseObject({
        kind: z.enum(['project', 'department']),
        year: z.number().check(z.int()),
        deptId: id,
        projectId: z.optional(id),
        level: z.optional(z.union([z.literal(1), z.literal(2)])),
        status: targetStatus,
        version: z.number().check(z.int()),
        lintErrors: z.number().check(z.int()),
        returnCount: z.number().check(z.int()),
        lastReview: z.optional(z.looseObject({ decision: z.string(), grade: z.string(), at: instant })),
        updatedAt: instant,
      }),
    ),
    counts: z.record(targetStatus, z.number().check(z.int())),
    nextToken: z.optional(z.string()),
  })
  .check(z.meta({ id: 'TargetList' }));
const coverage = z.looseObject({ departments: z.number().check(z.int()) });
export const publicTargets = z
  .looseObject({
    year: z.number().check(z.int()),
    items: z.array(
      z.looseObject({ kind: z.enum(['department', 'project']), deptId: id, projectId: z.optional(id), goal: z.string(), indicators: z.array(targetIndicator) }),
    ),
    coverage: z.looseObject({ departments: z.number().check(z.int()), published: z.number().check(z.int()) }),
    nextToken: z.optional(z.string()),
  })
  .check(z.meta({ id: 'PublicTargets' }));

/** A monitoring report's line: the target's indicator with its actual value and outlook. */
const reportIndicator = z.looseObject({
  code: z.optional(z.string()),
  name: z.string(),
  level1: z.optional(z.string()),
  unit: z.optional(z.string()),
  direction: z.optional(z.string()),
  targetValue: z.optional(z.union([z.number(), z.string()])),
  actualValue: z.union([z.number(), z.string()]),
  outlook: z.string(),
  deviationCause: z.optional(z.string()),
  measures: z.optional(z.string()),
});
export const monitoringReport = z
  .looseObject({
    projectId: id,
    deptId: id,
    year: z.number().check(z.int()),
    checkpoint: z.string(),
    version: z.number().check(z.int()),
    indicators: z.array(reportIndicator),
    outlook: z.string(),
    status: z.string(),
    filedAt: instant,
  })
  .check(z.meta({ id: 'MonitoringReport' }));
export const monitoringReportWithVersions = z.looseObject({ ...monitoringReport.shape, versions: z.array(z.unknown()) });
export const monitoringOverview = z.looseObject({
  projectId: id,
  year: z.number().check(z.int()),
  items: z.array(
    z.looseObject({
      checkpoint: z.string(),
      date,
      benchmarkBp: bp,
      status: z.enum(['open', 'closed']),
      report: z.nullable(
        z.looseObject({
          version: z.number().check(z.int()),
          indicators: z.array(reportIndicator),
          note: z.optional(z.string()),
          filedAt: instant,
          outlook: z.nullable(z.string()),
          achievementBp: z.optional(bp),
        }),
      ),
    }),
  ),
});
export const projectLifted = z.looseObject({ ...projectFields, suspension: z.record(z.string(), z.unknown()) });
/** Projects and money of a checkpoint's snapshot, with its lights. */
const lightCounts = {
  projects: z.number().check(z.int()),
  budgetFen: fen,
  spentFen: fen,
  progressBp: bp,
  red: z.number().check(z.int()),
  yellow: z.number().check(z.int()),
  green: z.number().check(z.int()),
  suspended: z.number().check(z.int()),
};
export const snapshot = z
  .looseObject({
    year: z.number().check(z.int()),
    checkpoint: z.string(),
    asOf: date,
    benchmarkBp: bp,
    takenAt: instant,
    /** The whole checkpoint's totals, for the bureau (a department reads its own row). */
    totals: z.optional(z.looseObject({ ...lightCounts, departments: z.number().check(z.int()) })),
    projects: z.array(
      z.looseObject({
        projectId: id,
        deptId: id,
        name: z.string(),
        budgetFen: fen,
        spentFen: fen,
        progressBp: bp,
        achievementBp: z.optional(bp),
        light: z.enum(['red', 'yellow', 'green']),
        flags: z.array(z.string()),
        outlook: z.optional(z.string()),
        reportVersion: z.optional(z.number().check(z.int())),
        suspended: z.optional(z.boolean()),
      }),
    ),
    departments: z.array(z.looseObject({ deptId: id, ...lightCounts })),
    nextToken: z.optional(z.string()),
  })
  .check(z.meta({ id: 'Snapshot' }));

export const deduction = z
  .looseObject({
    deductionId: id,
    rule: z.enum(DEDUCTION_RULES),
    year: z.number().check(z.int()),
    deptId: id,
    projectId: z.optional(id),
    asOf: date,
    amountFen: fen,
    budgetBeforeFen: fen,
    budgetAfterFen: fen,
    status: z.enum(DEDUCTION_STATUSES),
    appealDeadline: z.optional(date),
    appeal: z.optional(z.looseObject({ reason: z.string(), at: instant, by: z.string(), deadline: date })),
    decision: z.optional(z.looseObject({ decision: z.enum(['uphold', 'reverse']), comment: z.string(), at: instant, by: z.string() })),
    createdAt: instant,
  })
  .check(z.meta({ id: 'Deduction' }));
export const deductionDecided = z.looseObject({ deduction, reversal: z.optional(deduction), emails: z.number().check(z.int()) });

export const exemption = z
  .looseObject({
    exemptionId: id,
    projectId: id,
    year: z.number().check(z.int()),
    deptId: id,
    rule: z.string(),
    checkpoint: z.string(),
    reason: z.string(),
    status: z.string(),
    version: z.number().check(z.int()),
    requestedAt: instant,
  })
  .check(z.meta({ id: 'Exemption' }));

const idleFields = { kind: z.string(), deptId: id, status: z.string(), version: z.number().check(z.int()), createdAt: instant, updatedAt: instant };
export const carryover = z
  .looseObject({ ...idleFields, carryoverId: id, originYear: z.number().check(z.int()), balanceFen: fen })
  .check(z.meta({ id: 'Carryover' }));
export const payable = z.looseObject({ ...idleFields, payableId: id, counterparty: z.string(), amountFen: fen, since: date }).check(z.meta({ id: 'Payable' }));
export const accountBalance = z
  .looseObject({ ...idleFields, accountId: id, unitName: z.string(), balanceFen: fen, lastMovementDate: date })
  .check(z.meta({ id: 'AccountBalance' }));
export const idleImport = z
  .looseObject({
    kind: z.string(),
    rows: z.number().check(z.int()),
    created: z.number().check(z.int()),
    updated: z.number().check(z.int()),
    unchanged: z.number().check(z.int()),
  })
  .check(z.meta({ id: 'IdleImport' }));
const ruleTotals = z.record(z.string(), z.looseObject({ deductions: z.number().check(z.int()), amountFen: fen }));
const sweepTotals = {
  deductions: z.number().check(z.int()),
  amountFen: fen,
  byRule: ruleTotals,
  byDept: z.array(z.looseObject({ deptId: id, deductions: z.number().check(z.int()), amountFen: fen, byRule: ruleTotals })),
};
export const sweeps = z.looseObject({
  year: z.number().check(z.int()),
  sweeps: z.array(z.looseObject({ asOf: date, ...sweepTotals })),
  totals: z.looseObject(sweepTotals),
});

export const pool = z
  .looseObject({
    year: z.number().check(z.int()),
    balanceFen: fen,
    inFen: fen,
    outFen: fen,
    reversedFen: fen,
    byRule: z.record(z.string(), fen),
    allocations: z.record(z.string(), z.unknown()),
  })
  .check(z.meta({ id: 'Pool' }));
export const allocation = z
  .looseObject({
    allocationId: id,
    year: z.number().check(z.int()),
    projectId: id,
    deptId: id,
    amountFen: fen,
    reason: z.string(),
    budgetBeforeFen: fen,
    budgetAfterFen: fen,
    poolBalanceAfterFen: fen,
    createdAt: instant,
  })
  .check(z.meta({ id: 'Allocation' }));

export const exAnte = z
  .looseObject({
    assessmentId: id,
    projectId: id,
    deptId: id,
    year: z.number().check(z.int()),
    version: z.number().check(z.int()),
    remit: z.boolean(),
    scores: z.record(z.string(), z.unknown()),
    weightedBp: bp,
    outcome: z.string(),
    at: instant,
  })
  .check(z.meta({ id: 'ExAnteAssessment' }));

export const ranking = z
  .looseObject({ deptId: id, year: z.number().check(z.int()), projectIds: z.array(id), version: z.number().check(z.int()), at: instant })
  .check(z.meta({ id: 'DepartmentRanking' }));
/** A project in a funding round's order (its assessment score and its department's rank, when it has them). */
const rankEntry = {
  projectId: id,
  deptId: id,
  budgetFen: fen,
  weightedBp: z.optional(bp),
  outcome: z.optional(z.string()),
  deptRank: z.optional(z.number().check(z.int())),
};
export const fundingRound = z
  .looseObject({
    roundId: id,
    year: z.number().check(z.int()),
    domain: z.string(),
    capFen: fen,
    order: z.array(z.looseObject({ ...rankEntry, position: z.number().check(z.int()) })),
    funded: z.array(z.looseObject(rankEntry)),
    unfunded: z.array(z.looseObject({ projectId: id, deptId: id, budgetFen: fen, reason: z.string() })),
    fundedFen: fen,
    leftFen: fen,
    at: instant,
  })
  .check(z.meta({ id: 'FundingRound' }));

const count = z.number().check(z.int());
const year = z.number().check(z.int());
const cp = z.number().check(z.int(), z.meta({ description: '百分之一分 (centipoints): 8050 = 80.50 分' }));
const scoreGrade = z.enum(['优', '良', '中', '差']).check(z.meta({ id: 'ScoreGrade' }));
const decimal = z.string().check(z.meta({ description: 'an exact decimal or fraction, as text ("50/3", "16.6666")' }));

const candidateKind = z.enum(CANDIDATE_KINDS).check(z.meta({ id: 'CandidateKind' }));
export const cleanupScan = z
  .looseObject({ year, scanId: id, asOf: date, projects: count, counts: z.record(candidateKind, count), at: instant, by: z.string() })
  .check(z.meta({ id: 'CleanupScan' }));
/** A candidate of the latest scan; a department's view of a pair with another department's project drops that side. */
export const cleanupCandidate = z
  .looseObject({
    kind: candidateKind,
    projectIds: z.array(id),
    deptIds: z.array(id),
    domain: z.string(),
    category: z.optional(z.string()),
    similarityBp: z.optional(bp),
    budgetFen: z.optional(fen),
    projectDeptIds: z.optional(z.array(id)),
    withOtherDepartment: z.optional(z.boolean()),
  })
  .check(z.meta({ id: 'CleanupCandidate' }));
export const cleanupCandidates = z.looseObject({ scan: cleanupScan, items: z.array(cleanupCandidate) }).check(z.meta({ id: 'CleanupCandidates' }));
export const cleanupTotals = z
  .looseObject({
    year,
    projects: count,
    cutFen: fen,
    byDept: z.record(id, z.looseObject({ projects: count, cutFen: fen })),
    reversed: z.looseObject({ projects: count, fen }),
  })
  .check(z.meta({ id: 'CleanupTotals' }));
export const projectCancelled = z.looseObject({ project: projectView, deductions: z.array(deduction), amountFen: fen, emails: count });

const selfEvaluationEntry = z.union([
  z.looseObject({ index: count, actual: z.number() }),
  z.looseObject({ index: count, band: z.enum(Object.keys(BANDS) as [Band, ...Band[]]), pct: count }),
]);
/** One line of a self-evaluation's score: the execution rate, or one indicator. */
const derivationLine = z
  .looseObject({
    part: z.enum(['execution', 'output', 'benefit', 'satisfaction']),
    index: z.optional(count),
    name: z.string(),
    weight: decimal,
    weightExact: decimal,
    actual: z.optional(z.union([z.number(), z.string()])),
    target: z.optional(z.union([z.number(), z.string()])),
    formula: z.string(),
    points: decimal,
    pointsExact: decimal,
  })
  .check(z.meta({ id: 'DerivationLine' }));
const reportRef = z.looseObject({ checkpoint: z.string(), version: count });
export const selfEvaluation = z
  .looseObject({
    projectId: id,
    deptId: id,
    year,
    name: z.string(),
    status: z.enum(SELF_EVALUATION_STATUSES).check(z.meta({ id: 'SelfEvaluationStatus' })),
    version: count,
    indicators: z.array(selfEvaluationEntry),
    summary: z.string(),
    problems: z.string(),
    measures: z.string(),
    budgetFen: fen,
    spentFen: fen,
    targetVersion: count,
    prefilledFrom: z.optional(reportRef),
    scoreCp: cp,
    grade: scoreGrade,
    total: decimal,
    weights: z.record(z.string(), decimal),
    breakdown: z.array(derivationLine),
    lastReview: z.optional(
      z.looseObject({
        reviewId: id,
        stage: z.enum(['finance', 'performance']),
        decision: z.enum(['confirm', 'return']),
        comments: z.string(),
        at: instant,
        by: z.string(),
        version: count,
      }),
    ),
    createdAt: instant,
    updatedAt: instant,
    updatedBy: z.string(),
  })
  .check(z.meta({ id: 'SelfEvaluation' }));
/** No self-evaluation saved yet: the approved target's indicators, actuals pre-filled from the last monitoring report. */
export const selfEvaluationPrefill = z
  .looseObject({
    projectId: id,
    deptId: id,
    year,
    status: z.literal('none'),
    indicators: z.array(
      z.looseObject({
        index: count,
        name: z.string(),
        level1: z.string(),
        direction: z.optional(z.string()),
        targetValue: z.optional(z.union([z.number(), z.string()])),
        unit: z.optional(z.string()),
        prefilled: z.nullable(z.looseObject({ actual: z.number() })),
      }),
    ),
    prefilledFrom: z.nullable(reportRef),
  })
  .check(z.meta({ id: 'SelfEvaluationPrefill' }));
export const selfEvaluationOrPrefill = z.union([selfEvaluation, selfEvaluationPrefill]);
export const selfEvaluationList = z.looseObject({
  items: z.array(
    z.looseObject({
      projectId: id,
      deptId: id,
      year,
      name: z.string(),
      status: z.string(),
      version: count,
      scoreCp: cp,
      grade: scoreGrade,
      updatedAt: instant,
    }),
  ),
  total: count,
  grades: z.record(scoreGrade, count),
});
export const published = z.looseObject({ deptId: id, year, published: z.boolean(), confirmed: count });
export const publicSelfEvaluations = z
  .looseObject({
    year,
    items: z.array(z.looseObject({ deptId: id, projectId: id, name: z.string(), scoreCp: cp, grade: z.string() })),
    coverage,
  })
  .check(z.meta({ id: 'PublicSelfEvaluations' }));

export const evaluation = z
  .looseObject({
    evaluationId: id,
    year,
    kind: z.enum(EVALUATION_KINDS).check(z.meta({ id: 'EvaluationKind' })),
    title: z.string(),
    projectIds: z.array(id),
    deptIds: z.array(id),
    deptId: z.optional(id),
    policyName: z.optional(z.string()),
    panel: z.array(z.looseObject({ name: z.string(), kind: z.enum(PANEL_KINDS), org: z.string() })),
    /** Only to the bureau: an expert does not see who else scores. */
    experts: z.optional(z.array(z.string())),
    fundsFen: fen,
    status: z.enum(['open', 'finalized']),
    findings: z.optional(z.string()),
    suggestionIds: z.optional(z.array(id)),
    scoreCp: z.optional(cp),
    grade: z.optional(scoreGrade),
    finalizedAt: z.optional(instant),
    createdAt: instant,
    createdBy: z.string(),
  })
  .check(z.meta({ id: 'Evaluation' }));
export const evaluationList = z.looseObject({ items: z.array(evaluation), total: count });
export const evaluationSummary = z
  .looseObject({
    year,
    count,
    finalized: count,
    byKind: z.partialRecord(z.enum(EVALUATION_KINDS), count),
    fundsFen: fen,
    lastYear: z.looseObject({ count, fundsFen: fen }),
    growthBp: z.nullable(bp),
    panelMembers: count,
    suggestions: count,
    rectified: count,
    suggestionsByStatus: z.record(z.enum(SUGGESTION_STATUSES), count),
  })
  .check(z.meta({ id: 'EvaluationSummary' }));
const criterion = z.number().check(z.int(), z.meta({ description: '0–100' }));
export const expertScores = z
  .looseObject({
    evaluationId: id,
    sub: z.string(),
    scores: z.looseObject({ decision: criterion, process: criterion, output: criterion, benefit: criterion }),
    comment: z.optional(z.string()),
    at: instant,
  })
  .check(z.meta({ id: 'ExpertScore' }));
/** One evaluation with the scores the caller may read (an expert: its own) and, for the bureau, the running score. */
export const evaluationDetail = z
  .intersection(
    evaluation,
    z.looseObject({
      scores: z.array(expertScores),
      currentScore: z.optional(
        z.union([
          z.looseObject({ outcome: z.literal('unscored'), experts: z.literal(0) }),
          z.looseObject({
            outcome: z.literal('scored'),
            experts: count,
            scoreCp: cp,
            grade: scoreGrade,
            perExpert: z.array(z.looseObject({ sub: z.string(), score: decimal })),
          }),
        ]),
      ),
    }),
  )
  .check(z.meta({ id: 'EvaluationDetail' }));
export const suggestion = z
  .looseObject({
    suggestionId: id,
    evaluationId: id,
    year,
    deptId: id,
    text: z.string(),
    dueDate: date,
    status: z.enum(SUGGESTION_STATUSES),
    overdue: z.boolean(),
    history: z.array(z.looseObject({ status: z.enum(SUGGESTION_STATUSES), note: z.string(), at: instant, by: z.string() })),
  })
  .check(z.meta({ id: 'Suggestion' }));
export const suggestionList = z.looseObject({ items: z.array(suggestion), total: count, overdue: count });
const gradeSource = z.enum(['key-evaluation', 'self-evaluation']);
const proposalAction = z.enum(['cut', 'priority', 'keep']);
/** The performance office's decision on a proposal, as recorded. */
export const proposalDecision = z
  .looseObject({
    proposalId: id,
    year,
    projectId: id,
    deptId: id,
    grade: scoreGrade,
    gradeSource,
    gradeSourceId: id,
    action: proposalAction,
    cutBp: bp,
    status: z.enum(['confirmed', 'dropped']),
    decidedOn: date,
    decidedBy: z.string(),
    comment: z.string(),
  })
  .check(z.meta({ id: 'ProposalDecision' }));
export const proposal = z
  .looseObject({
    proposalId: id,
    year,
    projectId: id,
    deptId: id,
    name: z.string(),
    grade: scoreGrade,
    gradeSource,
    gradeSourceId: id,
    action: proposalAction,
    cutBp: bp,
    /** Next year's projects that continue it (their leaves), with the cut each would take. */
    continuing: z.array(z.looseObject({ projectId: id, year, budgetFen: fen, spentFen: fen, proposedCutFen: fen })),
    proposedCutFen: fen,
    status: z.enum(['proposed', 'confirmed', 'dropped']),
    decision: z.optional(proposalDecision),
  })
  .check(z.meta({ id: 'Proposal' }));
export const proposals = z
  .looseObject({
    year,
    appliesTo: year,
    items: z.array(proposal),
    totals: z.looseObject({ cut: count, priority: count, withContinuation: count, proposedCutFen: fen, confirmed: count, dropped: count }),
  })
  .check(z.meta({ id: 'Proposals' }));
export const proposalDecided = z.looseObject({
  decision: proposalDecision,
  deductions: count,
  amountFen: fen,
  applied: count,
  alreadyApplied: count,
  none: count,
});

export const jobRun = z
  .looseObject({
    runId: id,
    job: z.string(),
    asOf: date,
    status: z.enum(['running', 'succeeded', 'failed', 'deferred']),
    summary: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
    requestedBy: z.optional(z.string()),
    startedAt: z.optional(instant),
    finishedAt: z.optional(instant),
    error: z.optional(z.string()),
    deferredTo: z.optional(id),
    /** A fanned-out run: its shards, and how many of them are done. */
    shardsTotal: z.optional(z.number().check(z.int(), z.gte(1))),
    shardsDone: z.optional(z.number().check(z.int(), z.gte(0))),
  })
  .check(z.meta({ id: 'JobRun' }));

export const inbox = z
  .looseObject({
    year: z.number().check(z.int()),
    today: date,
    items: z.array(
      z.looseObject({
        kind: z.enum(INBOX_KINDS).check(z.meta({ id: 'InboxKind' })),
        title: z.string(),
        deptId: z.optional(id),
        projectId: z.optional(id),
        targetKind: z.optional(z.enum(['project', 'department'])),
        targetStatus: z.optional(z.union([targetStatus, z.literal('none')])),
        deductionId: z.optional(id),
        rule: z.optional(z.string()),
        amountFen: z.optional(fen),
        exemptionId: z.optional(id),
        runId: z.optional(id),
        job: z.optional(z.string()),
        asOf: z.optional(date),
        dueDate: z.optional(date),
        since: z.optional(instant),
      }),
    ),
    counts: z.partialRecord(z.enum(INBOX_KINDS), z.number().check(z.int())),
    total: z.number().check(z.int()),
    truncated: z.optional(z.boolean()),
  })
  .check(z.meta({ id: 'Inbox' }));
