/** What results use cases ask of storage (SPEC §3.10). */
import type { AuditEntry } from '../../domain/audit';
import type { StoredProposal } from '../../domain/evaluations';

export interface ResultsProposalsRepo {
  get(year: number, proposalId: string): Promise<StoredProposal | undefined>;
  list(year: number): Promise<StoredProposal[]>;
  /** Records a decision once; 'exists' when it was already decided. */
  decide(p: StoredProposal, audit: AuditEntry): Promise<'ok' | 'exists'>;
}
