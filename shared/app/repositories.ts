/**
 * The ports: what use cases ask of storage, one repository per entity. `shared/aws/` implements
 * them (structurally: adapters import domain types, never this file) and the composition root
 * (`functions/compose.ts`) hands them over. Use cases never see a table, a key or an expression.
 */
import type { AuditRepo } from './audit/ports';
import type { DepartmentsRepo } from './departments/ports';
import type { ExpendituresRepo } from './expenditures/ports';
import type { IdempotencyStore } from './idempotency';
import type { IdleFundsPort } from './idle-funds/ports';
import type { IndicatorsRepo } from './indicators/ports';
import type { JobRunStore } from './jobs/ports';
import type { ExemptionsPort, LeavesPort, LedgerPort, OutboxPort, ProjectFlagsPort } from './ledger/ports';
import type { MonitoringPort, SnapshotsPort } from './monitoring/ports';
import type { PoliciesRepo } from './policies/ports';
import type { PoolPort } from './pool/ports';
import type { ProjectsRepo } from './projects/ports';
import type { TargetsRepo } from './targets/ports';
import type { CleanupRepos } from './cleanup/ports';
import type { ExAnteRepos } from './ex-ante/ports';
import type { RankingRepos } from './ranking/ports';

import type { KeyEvaluationsRepo } from './evaluations/ports';
import type { SuggestionsRepo } from './rectification/ports';
import type { ResultsProposalsRepo } from './results/ports';
import type { ReportsRepo } from './reports/ports';
import type { EvaluationSources, SelfEvaluationsRepo } from './self-evaluation/ports';

export interface Repositories {
  audit: AuditRepo;
  departments: DepartmentsRepo;
  /** Per-area groups of the front of the cycle (SPEC §3.1–3.3). */
  exAnte: ExAnteRepos;
  ranking: RankingRepos;
  cleanup: CleanupRepos;
  exemptions: ExemptionsPort;
  expenditures: ExpendituresRepo;
  /** The idempotency record: job locks and the HTTP Idempotency-Key header. */
  idempotency: IdempotencyStore;
  idleFunds: IdleFundsPort;
  indicators: IndicatorsRepo;
  /** Job run records. */
  jobRuns: JobRunStore;
  leaves: LeavesPort;
  ledger: LedgerPort;
  monitoring: MonitoringPort;
  outbox: OutboxPort;
  policies: PoliciesRepo;
  pool: PoolPort;
  projectFlags: ProjectFlagsPort;
  projects: ProjectsRepo;
  snapshots: SnapshotsPort;
  targets: TargetsRepo;
  selfEvaluations: SelfEvaluationsRepo;
  keyEvaluations: KeyEvaluationsRepo;
  suggestions: SuggestionsRepo;
  resultsProposals: ResultsProposalsRepo;
  evaluationSources: EvaluationSources;
  /** The annual report's publication and the what-if scenarios (SPEC §3.11). */
  reports: ReportsRepo;
}
