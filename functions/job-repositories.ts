/**
 * The repositories the jobs of shared/app/jobs/registry.ts read: the runner runs them and POST
 * /v1/jobs starts them (checking the as-of date), so both wire these
 * (`liveDeps(jobRepositories)`). test/infra/synth.test.ts reads this list with the entries'.
 */
import * as repo from '../shared/aws/repositories';

export const jobRepositories = {
  cleanup: repo.cleanup,
  idempotency: repo.idempotency,
  idleFunds: repo.idleFunds,
  jobRuns: repo.jobRuns,
  leaves: repo.leaves,
  ledger: repo.ledger,
  monitoring: repo.monitoring,
  outbox: repo.outbox,
  policies: repo.policies,
  projectFlags: repo.projectFlags,
  snapshots: repo.snapshots,
  selfEvaluations: repo.selfEvaluations,
  suggestions: repo.suggestions,
  evaluationSources: repo.evaluationSources,
};
