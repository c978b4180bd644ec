/**
 * The ports: what use cases ask of storage, one repository per entity. `shared/aws/` implements
 * them (structurally: adapters import domain types, never this file) and the composition root
 * (`functions/compose.ts`) hands them over. Use cases never see a table, a key or an expression.
 */
import type { AuditRepo } from './audit';
import type { DepartmentsRepo } from './departments';
import type { ExpendituresRepo } from './expenditures';
import type { IndicatorsRepo } from './indicators';
import type { PoliciesRepo } from './policies';
import type { ProjectsRepo } from './projects';
import type { ExAnteAssessments, TargetsRepo } from './targets/ports';

export interface Repositories {
  audit: AuditRepo;
  departments: DepartmentsRepo;
  exAnte: ExAnteAssessments;
  expenditures: ExpendituresRepo;
  indicators: IndicatorsRepo;
  policies: PoliciesRepo;
  projects: ProjectsRepo;
  targets: TargetsRepo;
}
