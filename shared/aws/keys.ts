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
  /** GSI2: deductions of one project / carryover / payable / account. */
  deductionTargetIndex: (targetId: string, asOf: string, deductionId: string) => ({
    GSI2PK: `DEDT#${targetId}`,
    GSI2SK: `${asOf}#${deductionId}`,
  }),
  deductionTargetPartition: (targetId: string) => `DEDT#${targetId}`,

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
} as const;
