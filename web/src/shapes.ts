/**
 * The shapes four pages still read from the domain (type-only: nothing of the server is
 * bundled), because the API's response schemas for them are still loose (`unknown` where the
 * page reads fields): self-evaluations (indicators, breakdown), clean-up candidates and totals,
 * key evaluations and expert scores, results proposals. Every other page reads the
 * generated OpenAPI types (api/types.ts, api/client.ts's `api`); these move there as those
 * schemas in shared/http/responses.ts are written out.
 */
export type { StoredSelfEvaluation, StoredKeyEvaluation, ExpertScore } from '../../shared/domain/evaluations';
export type { ProposalView } from '../../shared/app/results/grades';
export type { Candidate } from '../../shared/domain/rules/cleanup';
export type { CleanupScanHeader, CleanupTotals } from '../../shared/domain/front';
