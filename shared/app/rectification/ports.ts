/** What rectification use cases ask of storage (SPEC §3.10). */
import type { AuditEntry } from '../../domain/audit';
import type { StoredSuggestion } from '../../domain/evaluations';
import type { WriteOutcome } from '../self-evaluation/ports';

export interface SuggestionsRepo {
  get(suggestionId: string): Promise<StoredSuggestion | undefined>;
  list(year: number, deptId?: string): Promise<StoredSuggestion[]>;
  /** Guarded by the rev it was computed from. */
  update(next: StoredSuggestion, prevRev: number, audit: AuditEntry): Promise<WriteOutcome>;
}
