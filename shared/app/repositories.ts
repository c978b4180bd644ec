/**
 * The ports: what use cases ask of storage, one repository per entity. `shared/aws/` implements
 * them (structurally: adapters import domain types, never this file) and the composition root
 * (`functions/compose.ts`) hands them over. Use cases never see a table, a key or an expression.
 */
import type { KeyEvaluationsRepo } from './evaluations/ports';
import type { SuggestionsRepo } from './rectification/ports';
import type { ResultsProposalsRepo } from './results/ports';
import type { EvaluationSources, SelfEvaluationsRepo } from './self-evaluation/ports';

export interface Repositories {
  selfEvaluations: SelfEvaluationsRepo;
  keyEvaluations: KeyEvaluationsRepo;
  suggestions: SuggestionsRepo;
  resultsProposals: ResultsProposalsRepo;
  evaluationSources: EvaluationSources;
}
