/** Every repository over one table: what the composition root hands to use cases. */
import { auditRepo } from './audit-repo';
import { cleanupCandidatesRepo, cleanupLedgerRepo, targetGoalsRepo } from './cleanup-repo';
import type { Db } from './db';
import { departmentsRepo } from './departments-repo';
import { exAnteRepo } from './ex-ante-repo';
import { exemptionsRepo } from './exemptions-repo';
import { expendituresRepo } from './expenditures-repo';
import { fundingRoundsRepo } from './funding-rounds-repo';
import { idempotencyRepo } from './idempotency-repo';
import { idleRepo } from './idle-funds-repo';
import { indicatorsRepo } from './indicators-repo';
import { jobRunsRepo } from './job-runs-repo';
import { leavesRepo } from './leaves';
import { ledgerRepo } from './ledger';
import { monitoringRepo } from './monitoring-repo';
import { outboxRepo, sealGroup } from './outbox';
import { policiesRepo } from './policies-repo';
import { poolRepo } from './pool';
import { projectFlagsRepo } from './project-flags-repo';
import { projectsRepo } from './projects-repo';
import { rankingsRepo } from './rankings-repo';
import { reportsRepo } from './reports-repo';
import { snapshotRepo } from './snapshot-repo';
import { targetsRepo } from './targets-repo';

import { evaluationSources } from './evaluation-sources';
import { keyEvaluationsRepo } from './key-evaluations-repo';
import { resultsProposalsRepo } from './results-proposals-repo';
import { selfEvaluationsRepo } from './self-evaluations-repo';
import { suggestionsRepo } from './suggestions-repo';

export function tableRepositories(db: Db) {
  const projects = projectsRepo(db);
  const assessments = exAnteRepo(db);
  const policies = policiesRepo(db);
  return {
    audit: auditRepo(db),
    departments: departmentsRepo(db),
    exAnte: { assessments, projects, policies },
    ranking: { rankings: rankingsRepo(db), rounds: fundingRoundsRepo(db), assessments, projects },
    cleanup: {
      candidates: cleanupCandidatesRepo(db),
      goals: targetGoalsRepo(db),
      ledger: cleanupLedgerRepo(db),
      projects,
      policies,
      outbox: { seal: (group: string, title: string, now: Date, appUrl: string) => sealGroup(db, group, title, now, appUrl) },
    },
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
    policies,
    pool: poolRepo(db),
    projectFlags: projectFlagsRepo(db),
    projects,
    snapshots: snapshotRepo(db),
    targets: targetsRepo(db),
    selfEvaluations: selfEvaluationsRepo(db),
    keyEvaluations: keyEvaluationsRepo(db),
    suggestions: suggestionsRepo(db),
    resultsProposals: resultsProposalsRepo(db),
    evaluationSources: evaluationSources(db),
    reports: reportsRepo(db),
  };
}
