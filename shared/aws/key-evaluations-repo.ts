/**
 * Key evaluations (SPEC §3.10), keys from keys.ts: the evaluation in `EVAL#id` (on GSI1 by
 * year), each assigned expert's scores beside it (`SCORE#sub`), its audit records beside it.
 * Finalizing writes the evaluation and all its suggestions in one transaction.
 */
import type { AuditEntry } from '../domain/audit';
import type { ExpertScore, StoredKeyEvaluation, StoredSuggestion } from '../domain/evaluations';
import { auditPut } from './audit';
import { type Db, getItem, queryAll, stripKeys, transact } from './db';
import { keys } from './keys';
import { suggestionItem } from './suggestions-repo';

function evaluationItem(e: StoredKeyEvaluation): Record<string, unknown> {
  return { ...keys.keyEvaluation(e.evaluationId), ...keys.keyEvaluationIndex(e.year, e.evaluationId), entity: 'KeyEvaluation', v: 1, ...e };
}

export function keyEvaluationsRepo(db: Db) {
  const pk = (id: string) => keys.keyEvaluation(id).PK;
  return {
    async get(evaluationId: string): Promise<StoredKeyEvaluation | undefined> {
      const item = await getItem(db, keys.keyEvaluation(evaluationId));
      return item ? stripKeys<StoredKeyEvaluation>(item) : undefined;
    },
    async create(e: StoredKeyEvaluation, audit: AuditEntry) {
      const out = await transact(db, [
        { Put: { TableName: db.table, Item: evaluationItem(e), ConditionExpression: 'attribute_not_exists(PK)' } },
        auditPut(db, pk(e.evaluationId), audit),
      ]);
      return out.ok ? ('created' as const) : ('exists' as const);
    },
    async list(year: number): Promise<StoredKeyEvaluation[]> {
      const items = await queryAll(db, {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.keyEvaluationsPartition(year) },
      });
      return items.map((i) => stripKeys<StoredKeyEvaluation>(i));
    },
    async putScore(score: ExpertScore, audit: AuditEntry) {
      const out = await transact(db, [
        {
          ConditionCheck: {
            TableName: db.table,
            Key: keys.keyEvaluation(score.evaluationId),
            ConditionExpression: '#s = :open',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':open': 'open' },
          },
        },
        { Put: { TableName: db.table, Item: { ...keys.expertScore(score.evaluationId, score.sub), entity: 'ExpertScore', v: 1, ...score } } },
        auditPut(db, pk(score.evaluationId), audit),
      ]);
      return out.ok ? ('ok' as const) : ('conflict' as const);
    },
    async scores(evaluationId: string): Promise<ExpertScore[]> {
      const items = await queryAll(db, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': pk(evaluationId), ':prefix': keys.expertScorePrefix() },
      });
      return items.map((i) => stripKeys<ExpertScore>(i));
    },
    async finalize(next: StoredKeyEvaluation, prevRev: number, suggestions: StoredSuggestion[], audit: AuditEntry) {
      const out = await transact(db, [
        { Put: { TableName: db.table, Item: evaluationItem(next), ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': prevRev } } },
        ...suggestions.map((s) => ({ Put: { TableName: db.table, Item: suggestionItem(s), ConditionExpression: 'attribute_not_exists(PK)' } })),
        auditPut(db, pk(next.evaluationId), audit),
      ]);
      return out.ok ? ('ok' as const) : ('conflict' as const);
    },
  };
}
