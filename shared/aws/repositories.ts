/** Every repository over one table: what the composition root hands to use cases. */
import { auditRepo } from './audit-repo';
import type { Db } from './db';
import { departmentsRepo } from './departments-repo';
import { exAnteRepo } from './ex-ante-repo';
import { expendituresRepo } from './expenditures-repo';
import { idempotencyRepo } from './idempotency-repo';
import { indicatorsRepo } from './indicators-repo';
import { jobRunsRepo } from './job-runs-repo';
import { policiesRepo } from './policies-repo';
import { projectsRepo } from './projects-repo';
import { targetsRepo } from './targets-repo';

export function tableRepositories(db: Db) {
  return {
    audit: auditRepo(db),
    departments: departmentsRepo(db),
    exAnte: exAnteRepo(db),
    expenditures: expendituresRepo(db),
    idempotency: idempotencyRepo(db),
    indicators: indicatorsRepo(db),
    jobRuns: jobRunsRepo(db),
    policies: policiesRepo(db),
    projects: projectsRepo(db),
    targets: targetsRepo(db),
  };
}
