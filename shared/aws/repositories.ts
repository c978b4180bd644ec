/** Every repository over one table: what the composition root hands to use cases. */
import type { Db } from './db';
import { evaluationSources } from './evaluation-sources';
import { keyEvaluationsRepo } from './key-evaluations-repo';
import { resultsProposalsRepo } from './results-proposals-repo';
import { selfEvaluationsRepo } from './self-evaluations-repo';
import { suggestionsRepo } from './suggestions-repo';

export function tableRepositories(db: Db) {
  return {
    selfEvaluations: selfEvaluationsRepo(db),
    keyEvaluations: keyEvaluationsRepo(db),
    suggestions: suggestionsRepo(db),
    resultsProposals: resultsProposalsRepo(db),
    evaluationSources: evaluationSources(db),
  };
}
