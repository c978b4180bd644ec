/**
 * The repositories the jobs of shared/app/jobs/registry.ts read: the runner runs them, POST
 * /v1/jobs starts them and the inbox lists their runs, so all three wire these
 * (`liveDeps(jobRepositories)`, the inbox with its own beside them). test/infra/synth.test.ts reads this list with the entries'.
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
