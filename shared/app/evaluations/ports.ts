/** What key-evaluation use cases ask of storage (SPEC §3.10). */
import type { AuditEntry } from '../../domain/audit';
import type { ExpertScore, StoredKeyEvaluation, StoredSuggestion } from '../../domain/evaluations';
import type { WriteOutcome } from '../self-evaluation/ports';

export interface KeyEvaluationsRepo {
  get(evaluationId: string): Promise<StoredKeyEvaluation | undefined>;
  /** Creates it once; 'exists' when the id is taken. */
  create(e: StoredKeyEvaluation, audit: AuditEntry): Promise<'created' | 'exists'>;
  list(year: number): Promise<StoredKeyEvaluation[]>;
  /** An expert's scores (replaces that expert's earlier ones), guarded: the evaluation is still open. */
  putScore(score: ExpertScore, audit: AuditEntry): Promise<WriteOutcome>;
  scores(evaluationId: string): Promise<ExpertScore[]>;
  /** One transaction: the finalized evaluation (guarded by rev), its suggestions, the audit. */
  finalize(next: StoredKeyEvaluation, prevRev: number, suggestions: StoredSuggestion[], audit: AuditEntry): Promise<WriteOutcome>;
}
