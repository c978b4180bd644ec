/** Suggestions of key evaluations and their rectification (SPEC §3.10), keys from keys.ts. */
import type { AuditEntry } from '../domain/audit';
import type { StoredSuggestion } from '../domain/evaluations';
import { auditPut } from './audit';
import { type Db, getItem, queryAll, stripKeys, transact } from './db';
import { keys } from './keys';

export function suggestionItem(s: StoredSuggestion): Record<string, unknown> {
  return { ...keys.suggestion(s.suggestionId), ...keys.suggestionIndex(s.year, s.deptId, s.suggestionId), entity: 'Suggestion', v: 1, ...s };
}

export function suggestionsRepo(db: Db) {
  return {
    async get(suggestionId: string): Promise<StoredSuggestion | undefined> {
      const item = await getItem(db, keys.suggestion(suggestionId));
      return item ? stripKeys<StoredSuggestion>(item) : undefined;
    },
    async list(year: number, deptId?: string): Promise<StoredSuggestion[]> {
      const items = await queryAll(db, {
        IndexName: 'GSI1',
        KeyConditionExpression: deptId ? 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)' : 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.suggestionsPartition(year), ...(deptId ? { ':prefix': keys.suggestionsOfDeptPrefix(deptId) } : {}) },
      });
      return items.map((i) => stripKeys<StoredSuggestion>(i));
    },
    async update(next: StoredSuggestion, prevRev: number, audit: AuditEntry) {
      const out = await transact(db, [
        { Put: { TableName: db.table, Item: suggestionItem(next), ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': prevRev } } },
        auditPut(db, keys.suggestion(next.suggestionId).PK, audit),
      ]);
      return out.ok ? ('ok' as const) : ('conflict' as const);
    },
  };
}
