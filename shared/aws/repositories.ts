/** Every repository over one table: what the composition root hands to use cases. */
import { auditRepo } from './audit-repo';
import type { Db } from './db';
import { departmentsRepo } from './departments-repo';
import { exAnteRepo } from './ex-ante-repo';
import { exemptionsRepo } from './exemptions-repo';
import { expendituresRepo } from './expenditures-repo';
import { idempotencyRepo } from './idempotency-repo';
import { idleRepo } from './idle-funds-repo';
import { indicatorsRepo } from './indicators-repo';
import { jobRunsRepo } from './job-runs-repo';
import { leavesRepo } from './leaves';
import { ledgerRepo } from './ledger';
import { monitoringRepo } from './monitoring-repo';
import { outboxRepo } from './outbox';
import { policiesRepo } from './policies-repo';
import { poolRepo } from './pool';
import { projectFlagsRepo } from './project-flags-repo';
import { projectsRepo } from './projects-repo';
import { snapshotRepo } from './snapshot-repo';
import { targetsRepo } from './targets-repo';

export function tableRepositories(db: Db) {
  return {
    audit: auditRepo(db),
    departments: departmentsRepo(db),
    exAnte: exAnteRepo(db),
    exemptions: exemptionsRepo(db),
    expenditures: expendituresRepo(db),
    idempotency: idempotencyRepo(db),
    idleFunds: idleRepo(db),
    indicators: indicatorsRepo(db),
    jobRuns: jobRunsRepo(db),
    leaves: leavesRepo(db),
    ledger: ledgerRepo(db),
    monitoring: monitoringRepo(db),
    outbox: outboxRepo(db),
    policies: policiesRepo(db),
    pool: poolRepo(db),
    projectFlags: projectFlagsRepo(db),
    projects: projectsRepo(db),
    snapshots: snapshotRepo(db),
    targets: targetsRepo(db),
  };
}
