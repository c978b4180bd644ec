/**
 * The ports: what use cases ask of storage, one repository per entity. `shared/aws/` implements
 * them (structurally: adapters import domain types, never this file) and the composition root
 * (`functions/compose.ts`) hands them over. Use cases never see a table, a key or an expression.
 */
import type { AuditRepo } from './audit';
import type { DepartmentsRepo } from './departments';
import type { ExpendituresRepo } from './expenditures';
import type { IdempotencyStore } from './idempotency';
import type { IndicatorsRepo } from './indicators';
import type { JobRunStore } from './jobs/ports';
import type { PoliciesRepo } from './policies';
import type { ProjectsRepo } from './projects';
import type { ExAnteAssessments, TargetsRepo } from './targets/ports';

export interface Repositories {
  audit: AuditRepo;
  departments: DepartmentsRepo;
  exAnte: ExAnteAssessments;
  expenditures: ExpendituresRepo;
  /** The idempotency record: job locks and the HTTP Idempotency-Key header. */
  idempotency: IdempotencyStore;
  indicators: IndicatorsRepo;
  /** Job run records. */
  jobRuns: JobRunStore;
  policies: PoliciesRepo;
  projects: ProjectsRepo;
  targets: TargetsRepo;
}
