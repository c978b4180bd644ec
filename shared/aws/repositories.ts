/** Every repository over one table: what the composition root hands to use cases. */
import { cleanupCandidatesRepo, cleanupLedgerRepo, targetGoalsRepo } from './cleanup-repo';
import type { Db } from './db';
import { exAnteRepo } from './ex-ante-repo';
import { fundingRoundsRepo } from './funding-rounds-repo';
import { sealGroup } from './outbox';
import { policyReader } from './policy-reads';
import { projectsRepo } from './projects-repo';
import { rankingsRepo } from './rankings-repo';

export function tableRepositories(db: Db) {
  const projects = projectsRepo(db);
  const assessments = exAnteRepo(db);
  const policies = policyReader(db);
  return {
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
  };
}
