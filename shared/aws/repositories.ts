/**
 * The repositories over one table, one factory per port of shared/app/repositories.ts, each its
 * own export: a function entry wires only the ones its routes reach (functions/compose.ts
 * `liveDeps`), so the bundle leaves the others out (issue 12 item 6). `tableRepositories` wires
 * them all, for tests, the seed and the benches.
 */
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

export const audit = auditRepo;
export const departments = departmentsRepo;
export const exAnte = (db: Db) => ({ assessments: exAnteRepo(db), projects: projectsRepo(db), policies: policiesRepo(db) });
export const ranking = (db: Db) => ({ rankings: rankingsRepo(db), rounds: fundingRoundsRepo(db), assessments: exAnteRepo(db), projects: projectsRepo(db) });
export const cleanup = (db: Db) => ({
  candidates: cleanupCandidatesRepo(db),
  goals: targetGoalsRepo(db),
  ledger: cleanupLedgerRepo(db),
  projects: projectsRepo(db),
  policies: policiesRepo(db),
  outbox: { seal: (group: string, title: string, now: Date, appUrl: string) => sealGroup(db, group, title, now, appUrl) },
});
export const exemptions = exemptionsRepo;
export const expenditures = expendituresRepo;
export const idempotency = idempotencyRepo;
export const idleFunds = idleRepo;
export const indicators = indicatorsRepo;
export const jobRuns = jobRunsRepo;
export const leaves = leavesRepo;
export const ledger = ledgerRepo;
export const monitoring = monitoringRepo;
export const outbox = outboxRepo;
export const policies = policiesRepo;
export const pool = poolRepo;
export const projectFlags = projectFlagsRepo;
export const projects = projectsRepo;
export const snapshots = snapshotRepo;
export const targets = targetsRepo;
export const selfEvaluations = selfEvaluationsRepo;
export const keyEvaluations = keyEvaluationsRepo;
export const suggestions = suggestionsRepo;
export const resultsProposals = resultsProposalsRepo;
export { evaluationSources };
export const reports = reportsRepo;

/** Every repository over one table. */
export function tableRepositories(db: Db) {
  return {
    audit: audit(db),
    departments: departments(db),
    exAnte: exAnte(db),
    ranking: ranking(db),
    cleanup: cleanup(db),
    exemptions: exemptions(db),
    expenditures: expenditures(db),
    idempotency: idempotency(db),
    idleFunds: idleFunds(db),
    indicators: indicators(db),
    jobRuns: jobRuns(db),
    leaves: leaves(db),
    ledger: ledger(db),
    monitoring: monitoring(db),
    outbox: outbox(db),
    policies: policies(db),
    pool: pool(db),
    projectFlags: projectFlags(db),
    projects: projects(db),
    snapshots: snapshots(db),
    targets: targets(db),
    selfEvaluations: selfEvaluations(db),
    keyEvaluations: keyEvaluations(db),
    suggestions: suggestions(db),
    resultsProposals: resultsProposals(db),
    evaluationSources: evaluationSources(db),
    reports: reports(db),
  };
}
