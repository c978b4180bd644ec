/**
 * Every key of the single table is built here, and nowhere else. The README's access-pattern
 * table is this file in prose; keep them together.
 *
 * Each item also carries `entity` (its type) and `v` (its schema version).
 */

/** Leaf projects of a year are spread over this many index partitions so jobs read in parallel. */
export const LEAF_SHARDS = 16;

export function shardOf(id: string): number {
  // FNV-1a: cheap, stable across runtimes, spreads ULIDs and hand-made ids alike.
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % LEAF_SHARDS;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The idle-fund record kinds (shared/domain/idle-records.ts) and their key prefixes. */
type IdleKind = 'carryover' | 'payable' | 'account';
const IDLE_PREFIX: Record<IdleKind, string> = { carryover: 'CARRY', payable: 'PAYABLE', account: 'ACCT' };

export const keys = {
  department: (deptId: string) => ({ PK: `DEPT#${deptId}`, SK: 'DEPT' }),
  /** GSI1: every department, by id. */
  departmentIndex: (deptId: string) => ({ GSI1PK: 'DEPTS', GSI1SK: deptId }),
  departmentsPartition: () => 'DEPTS',

  policy: (year: number) => ({ PK: `POLICY#${year}`, SK: 'POLICY' }),

  project: (projectId: string) => ({ PK: `PROJ#${projectId}`, SK: 'PROJ' }),
  /**
   * GSI1: projects of a year, by department, each level-1 followed by its level-2 children.
   * `rootId` is the level-1 id (the project itself, or its parent).
   */
  projectIndex: (p: { year: number; deptId: string; projectId: string; parentId?: string | undefined }) => ({
    GSI1PK: `PROJS#${p.year}`,
    GSI1SK: p.parentId ? `${p.deptId}#${p.parentId}#1#${p.projectId}` : `${p.deptId}#${p.projectId}#0`,
  }),
  projectsPartition: (year: number) => `PROJS#${year}`,
  projectsOfDeptPrefix: (deptId: string) => `${deptId}#`,
  childrenPrefix: (deptId: string, parentId: string) => `${deptId}#${parentId}#1#`,
  /** GSI2 (sparse): leaf projects of a year, sharded; what every job reads. */
  leafIndex: (year: number, projectId: string) => ({ GSI2PK: `LEAVES#${year}#${pad2(shardOf(projectId))}`, GSI2SK: projectId }),
  leafPartition: (year: number, shard: number) => `LEAVES#${year}#${pad2(shard)}`,

  expenditure: (projectId: string, expenditureId: string) => ({ PK: `PROJ#${projectId}`, SK: `EXP#${expenditureId}` }),
  expenditurePrefix: () => 'EXP#',

  /** Audit records live beside what they describe: query an entity's partition for its history. */
  audit: (entityPk: string, auditId: string) => ({ PK: entityPk, SK: `AUDIT#${auditId}` }),
  auditPrefix: () => 'AUDIT#',

  idempotency: (scope: string, key: string) => ({ PK: `IDEM#${scope}#${key}`, SK: 'IDEM' }),

  jobRun: (runId: string) => ({ PK: `RUN#${runId}`, SK: 'RUN' }),
  /** One segment of one shard of a fanned-out run, beside its run record; a shard's segments sort in order. */
  jobRunSegment: (runId: string, shard: number, segment: number) => ({ PK: `RUN#${runId}`, SK: `SEG#${pad2(shard)}#${String(segment).padStart(6, '0')}` }),
  jobRunSegmentPrefix: (shard: number) => `SEG#${pad2(shard)}#`,
  /** A finished shard's summary in full (its per-department totals too), beside its run record. */
  jobRunShard: (runId: string, shard: number) => ({ PK: `RUN#${runId}`, SK: `SHARD#${pad2(shard)}` }),
  jobRunShardPrefix: () => 'SHARD#',
  /** GSI1: runs of a job, by as-of date then start time. */
  jobRunIndex: (job: string, asOf: string, startedAt: string) => ({ GSI1PK: `RUNS#${job}`, GSI1SK: `${asOf}#${startedAt}` }),
  jobRunsPartition: (job: string) => `RUNS#${job}`,
  jobLock: (job: string, asOf: string) => ({ PK: `LOCK#${job}#${asOf}`, SK: 'LOCK' }),
  /** The deductions ledger: an entry by id. */
  deduction: (deductionId: string) => ({ PK: `DED#${deductionId}`, SK: 'DED' }),
  /** GSI1: deductions of a (pool) year, by department then as-of date. */
  deductionYearIndex: (year: number, deptId: string, asOf: string, deductionId: string) => ({
    GSI1PK: `DEDS#${year}`,
    GSI1SK: `${deptId}#${asOf}#${deductionId}`,
  }),
  deductionsPartition: (year: number) => `DEDS#${year}`,
  /**
   * GSI2: deductions of one project / carryover / payable / account. The kind is part of the
   * key: ids of different kinds are chosen by different feeds and may coincide.
   */
  deductionTargetIndex: (kind: string, targetId: string, asOf: string, deductionId: string) => ({
    GSI2PK: `DEDT#${kind}#${targetId}`,
    GSI2SK: `${asOf}#${deductionId}`,
  }),
  deductionTargetPartition: (kind: string, targetId: string) => `DEDT#${kind}#${targetId}`,

  /**
   * The pool (统筹资金) of a year is kept in LEAF_SHARDS counter items, so that concurrent
   * deductions do not all fight over one item; its balance is their sum.
   */
  poolShard: (year: number, shard: number) => ({ PK: `POOL#${year}`, SK: `SHARD#${pad2(shard)}` }),
  poolPartition: (year: number) => `POOL#${year}`,

  /** An outbox line: one thing a department is told, written with the change it reports. */
  outboxLine: (group: string, deptId: string, lineId: string) => ({ PK: `OUTBOX#${group}#${deptId}`, SK: `LINE#${lineId}` }),
  /** GSI1: the lines of a group (a job run's job + as-of, or one review), by department. */
  outboxGroupIndex: (group: string, deptId: string, lineId: string) => ({ GSI1PK: `OUTBOXG#${group}`, GSI1SK: `${deptId}#${lineId}` }),
  outboxGroupPartition: (group: string) => `OUTBOXG#${group}`,
  /** An email, sealed from a department's lines of a group. */
  mail: (mailId: string) => ({ PK: `MAIL#${mailId}`, SK: 'MAIL' }),
  /** GSI3 (sparse): emails still to send, by when to try next. Removed once sent. */
  mailPendingIndex: (nextAttemptAt: string, mailId: string) => ({ GSI3PK: 'MAIL#PENDING', GSI3SK: `${nextAttemptAt}#${mailId}` }),
  mailPendingPartition: () => 'MAIL#PENDING',

  /** The indicator library (指标库): one item per indicator, by code. */
  indicator: (code: string) => ({ PK: `IND#${code}`, SK: 'IND' }),
  /**
   * GSI1: the library by scope. General: category → level1 → code; core: domain → category →
   * fundUse → level1 → code, so each filter of GET /v1/indicators is a key prefix as far as
   * the hierarchy is given, and the rest a filter on that partition.
   */
  indicatorIndex: (i: { scope: string; category: string; domain?: string; fundUse?: string; level1: string; code: string }) => ({
    GSI1PK: `INDS#${i.scope}`,
    GSI1SK: i.scope === 'general' ? `${i.category}#${i.level1}#${i.code}` : `${i.domain}#${i.category}#${i.fundUse}#${i.level1}#${i.code}`,
  }),
  indicatorsPartition: (scope: string) => `INDS#${scope}`,
  /** An indicator as it was before an import changed or removed it. */
  indicatorHistory: (code: string, importId: string) => ({ PK: `IND#${code}`, SK: `HIST#${importId}` }),
  /** The library's figures and last import; its audit records sit in the same partition. */
  indicatorLibrary: () => ({ PK: 'INDLIB', SK: 'META' }),
  /** A lease so that two imports do not interleave. */
  indicatorImportLock: () => ({ PK: 'INDLIB', SK: 'LOCK' }),

  /** A project's performance target (current state), beside the project. */
  projectTarget: (projectId: string) => ({ PK: `PROJ#${projectId}`, SK: 'TARGET' }),
  /** A department's overall target (部门整体绩效目标) of a year. */
  departmentTarget: (deptId: string, year: number) => ({ PK: `DEPT#${deptId}`, SK: `TARGET#${year}` }),
  /** Every saved version of a target, immutable: `{target SK}#V#000001`. */
  targetVersion: (target: { PK: string; SK: string }, version: number) => ({ PK: target.PK, SK: `${target.SK}#V#${String(version).padStart(6, '0')}` }),
  /** Every review of a target, immutable, by time (ULID). */
  targetReview: (target: { PK: string; SK: string }, reviewId: string) => ({ PK: target.PK, SK: `${target.SK}#R#${reviewId}` }),
  /** Versions and reviews of one target: begins_with(SK, this). */
  targetHistoryPrefix: (target: { PK: string; SK: string }) => `${target.SK}#`,
  /** GSI3: the targets of a year by status (the review queue), then department. */
  targetStatusIndex: (year: number, status: string, deptId: string, ref: string) => ({ GSI3PK: `TARGETS#${year}`, GSI3SK: `${status}#${deptId}#${ref}` }),
  targetsPartition: (year: number) => `TARGETS#${year}`,
  /**
   * GSI1 (sparse): what is published of a year — approved department-overall targets
   * (`D#dept`) and approved level-1 targets (`P#dept#project`). Nothing else ever gets it.
   */
  publishedTargetIndex: (year: number, deptId: string, projectId?: string) => ({
    GSI1PK: `PUBTARGETS#${year}`,
    GSI1SK: projectId ? `P#${deptId}#${projectId}` : `D#${deptId}`,
  }),
  publishedTargetsPartition: (year: number) => `PUBTARGETS#${year}`,
  /**
   * The ex-ante assessment (事前绩效评估) of a project: written by the ex-ante issue, read by
   * target approval (SPEC §3.1) through the ExAnteAssessments port.
   */
  exAnteAssessment: (projectId: string) => ({ PK: `PROJ#${projectId}`, SK: 'EXANTE' }),
  /** Every version of a project's assessment, immutable: `EXANTE#V#000001`. */
  exAnteVersion: (projectId: string, version: number) => ({ PK: `PROJ#${projectId}`, SK: `EXANTE#V#${String(version).padStart(6, '0')}` }),
  exAnteVersionsPrefix: () => 'EXANTE#V#',

  /** A department's ranking of its new projects of a year (SPEC §3.2), beside the department. */
  departmentRanking: (deptId: string, year: number) => ({ PK: `DEPT#${deptId}`, SK: `RANK#${year}` }),
  /** GSI1: the department rankings of a year, by department. */
  departmentRankingIndex: (year: number, deptId: string) => ({ GSI1PK: `RANKS#${year}`, GSI1SK: deptId }),
  departmentRankingsPartition: (year: number) => `RANKS#${year}`,
  /** A funding round of a year's domain; rounds are kept, ids sort by time (ULID), the latest stands. */
  fundingRound: (year: number, domain: string, roundId: string) => ({ PK: `ROUNDS#${year}#${domain}`, SK: `R#${roundId}` }),
  fundingRoundsPartition: (year: number, domain: string) => `ROUNDS#${year}#${domain}`,
  fundingRoundPrefix: () => 'R#',

  /** The latest clean-up scan of a year (SPEC §3.3): written last, so it marks the scan complete. */
  cleanupScan: (year: number) => ({ PK: `CLEANUP#${year}`, SK: 'LATEST' }),
  /** The candidates one scan found, one item each, by kind: query the partition, `begins_with(SK, kind#)`. */
  cleanupCandidate: (year: number, scanId: string, kind: string, seq: number) => ({
    PK: `CLEANUP#${year}#${scanId}`,
    SK: `${kind}#${String(seq).padStart(7, '0')}`,
  }),
  cleanupCandidatesPartition: (year: number, scanId: string) => `CLEANUP#${year}#${scanId}`,
  cleanupKindPrefix: (kind: string) => `${kind}#`,

  /**
   * An exemption request (SPEC §3.6): one per project and rule, id `${projectId}~${rule}`. An
   * approved one is also written onto the project (`exemptRules`), so the job that applies the
   * rule reads it with the project and its transaction can guard on it.
   */
  exemption: (exemptionId: string) => ({ PK: `EXEMPT#${exemptionId}`, SK: 'EXEMPT' }),
  /** GSI1: exemptions of a (project) year, by department then project. */
  exemptionYearIndex: (year: number, deptId: string, exemptionId: string) => ({ GSI1PK: `EXEMPTS#${year}`, GSI1SK: `${deptId}#${exemptionId}` }),
  exemptionsPartition: (year: number) => `EXEMPTS#${year}`,

  /** Idle-fund records (SPEC §3.8): a carryover, payable or account balance by id. */
  idleRecord: (kind: IdleKind, id: string) => ({ PK: `${IDLE_PREFIX[kind]}#${id}`, SK: IDLE_PREFIX[kind] }),
  /** GSI1: the records of a kind, by department then id (lists; `?deptId=` is a prefix). */
  idleRecordIndex: (kind: IdleKind, deptId: string, id: string) => ({ GSI1PK: `IDLE#${kind}`, GSI1SK: `${deptId}#${id}` }),
  idleRecordsPartition: (kind: IdleKind) => `IDLE#${kind}`,
  idleRecordsOfDeptPrefix: (deptId: string) => `${deptId}#`,
  /**
   * GSI2 (sparse): open records holding money, sharded like the leaves, sorted by what makes
   * them due — carryovers by origin year, payables by `since`, balances by last movement — so
   * the sweep reads `GSI2SK < cutoff` and never a record that cannot be due. Removed in the
   * transaction that reclaims the record.
   */
  idleDueIndex: (kind: IdleKind, id: string, sortValue: string) => ({
    GSI2PK: `IDLEDUE#${kind}#${pad2(shardOf(id))}`,
    GSI2SK: `${sortValue}#${id}`,
  }),
  idleDuePartition: (kind: IdleKind, shard: number) => `IDLEDUE#${kind}#${pad2(shard)}`,
  /**
   * A sweep's totals (fen and count per department and rule) in LEAF_SHARDS counter items per
   * as-of date, each added to in the ledger transaction of the entry it counts.
   */
  idleSweepTotals: (year: number, asOf: string, shard: number) => ({ PK: `IDLESWEEP#${year}`, SK: `${asOf}#${pad2(shard)}` }),
  idleSweepPartition: (year: number) => `IDLESWEEP#${year}`,

  /** An allocation from the pool of a year, by its client-chosen id. */
  poolAllocation: (year: number, allocationId: string) => ({ PK: `ALLOC#${year}#${allocationId}`, SK: 'ALLOC' }),
  /** GSI1: the allocations of a year, in the order they were made. */
  poolAllocationIndex: (year: number, createdAt: string, allocationId: string) => ({ GSI1PK: `ALLOCS#${year}`, GSI1SK: `${createdAt}#${allocationId}` }),
  poolAllocationsPartition: (year: number) => `ALLOCS#${year}`,

  /**
   * A project's monitoring report (监控表) for a checkpoint 'MM-DD' of the project's year: the
   * latest version, beside the project (its audit records sit in the same partition).
   */
  monitoringReport: (projectId: string, checkpoint: string) => ({ PK: `PROJ#${projectId}`, SK: `MON#${checkpoint}` }),
  /** Every saved version of a report, immutable: `MON#06-30#V#000001`. */
  monitoringReportVersion: (projectId: string, checkpoint: string, version: number) => ({
    PK: `PROJ#${projectId}`,
    SK: `MON#${checkpoint}#V#${String(version).padStart(6, '0')}`,
  }),
  /** The latest reports (and versions) of a project: begins_with(SK, this). */
  monitoringReportsPrefix: () => 'MON#',
  monitoringVersionsPrefix: (checkpoint: string) => `MON#${checkpoint}#V#`,
  /** GSI1 (latest versions only): the reports of a year's checkpoint, by department then project. */
  monitoringReportIndex: (year: number, checkpoint: string, deptId: string, projectId: string) => ({
    GSI1PK: `MONS#${year}#${checkpoint}`,
    GSI1SK: `${deptId}#${projectId}`,
  }),
  monitoringReportsPartition: (year: number, checkpoint: string) => `MONS#${year}#${checkpoint}`,

  /**
   * A monitoring snapshot (SPEC §3.5) of a year's checkpoint. Its partition holds the header
   * (totals; written last, so it marks the snapshot complete), the closing marker (written
   * first: from then on no report of the checkpoint can be filed) and one item per department.
   */
  snapshotHeader: (year: number, checkpoint: string) => ({ PK: `SNAP#${year}#${checkpoint}`, SK: 'HEAD' }),
  snapshotClosed: (year: number, checkpoint: string) => ({ PK: `SNAP#${year}#${checkpoint}`, SK: 'CLOSED' }),
  snapshotDepartment: (year: number, checkpoint: string, deptId: string) => ({ PK: `SNAP#${year}#${checkpoint}`, SK: `D#${deptId}` }),
  snapshotDepartmentsPartition: (year: number, checkpoint: string) => `SNAP#${year}#${checkpoint}`,
  snapshotDepartmentPrefix: () => 'D#',
  /** The snapshot's projects, one partition per department: writes spread, department reads direct. */
  snapshotProject: (year: number, checkpoint: string, deptId: string, projectId: string) => ({
    PK: `SNAP#${year}#${checkpoint}#${deptId}`,
    SK: `P#${projectId}`,
  }),
  snapshotProjectsPartition: (year: number, checkpoint: string, deptId: string) => `SNAP#${year}#${checkpoint}#${deptId}`,

  /** A project's self-evaluation (绩效自评, SPEC §3.9): the current state, beside the project. */
  selfEvaluation: (projectId: string) => ({ PK: `PROJ#${projectId}`, SK: 'SELFEVAL' }),
  /** Every saved version, immutable: `SELFEVAL#V#000001`. */
  selfEvaluationVersion: (projectId: string, version: number) => ({ PK: `PROJ#${projectId}`, SK: `SELFEVAL#V#${String(version).padStart(6, '0')}` }),
  /** Every review, immutable, by time (ULID). */
  selfEvaluationReview: (projectId: string, reviewId: string) => ({ PK: `PROJ#${projectId}`, SK: `SELFEVAL#R#${reviewId}` }),
  selfEvaluationHistoryPrefix: () => 'SELFEVAL#',
  /** GSI1: the self-evaluations of a year, by department then project. */
  selfEvaluationIndex: (year: number, deptId: string, projectId: string) => ({ GSI1PK: `SELFEVALS#${year}`, GSI1SK: `${deptId}#${projectId}` }),
  selfEvaluationsPartition: (year: number) => `SELFEVALS#${year}`,
  selfEvaluationsOfDeptPrefix: (deptId: string) => `${deptId}#`,
  /** A department whose confirmed self-evaluations of a year are published; the partition lists them. */
  selfEvaluationPublication: (year: number, deptId: string) => ({ PK: `SEPUB#${year}`, SK: `D#${deptId}` }),
  selfEvaluationPublicationsPartition: (year: number) => `SEPUB#${year}`,
  /** The annual report of a year, published (SPEC §3.11). */
  reportPublication: (year: number) => ({ PK: `REPORT#${year}`, SK: 'PUBLISHED' }),
  /** A what-if scenario record. */
  scenario: (scenarioId: string) => ({ PK: `SCENARIO#${scenarioId}`, SK: 'SCENARIO' }),

  /** A key evaluation (重点评价, SPEC §3.10); its expert scores and audit records sit beside it. */
  keyEvaluation: (evaluationId: string) => ({ PK: `EVAL#${evaluationId}`, SK: 'EVAL' }),
  /** GSI1: the key evaluations of a year, by id. */
  keyEvaluationIndex: (year: number, evaluationId: string) => ({ GSI1PK: `EVALS#${year}`, GSI1SK: evaluationId }),
  keyEvaluationsPartition: (year: number) => `EVALS#${year}`,
  expertScore: (evaluationId: string, sub: string) => ({ PK: `EVAL#${evaluationId}`, SK: `SCORE#${sub}` }),
  expertScorePrefix: () => 'SCORE#',
  /** A suggestion of a finalized key evaluation, tracked to rectification (整改). */
  suggestion: (suggestionId: string) => ({ PK: `SUGG#${suggestionId}`, SK: 'SUGG' }),
  /** GSI1: the suggestions of a year, by department then id. */
  suggestionIndex: (year: number, deptId: string, suggestionId: string) => ({ GSI1PK: `SUGGS#${year}`, GSI1SK: `${deptId}#${suggestionId}` }),
  suggestionsPartition: (year: number) => `SUGGS#${year}`,
  suggestionsOfDeptPrefix: (deptId: string) => `${deptId}#`,
  /** A results proposal's decision (评价结果应用) of a year's grades, by the graded project's id. */
  resultsProposal: (year: number, proposalId: string) => ({ PK: `RESULTS#${year}`, SK: `PROP#${proposalId}` }),
  resultsProposalsPartition: (year: number) => `RESULTS#${year}`,
} as const;
