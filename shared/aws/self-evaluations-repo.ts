/**
 * Self-evaluations (SPEC §3.9) in the table (keys from keys.ts): the current state beside the
 * project (`SELFEVAL`, on GSI1 by year → department → project), every saved version and every
 * review beside it, immutable; the published departments of a year in `SEPUB#year`.
 */
import type { AuditEntry } from '../domain/audit';
import type { SelfEvaluationReview, StoredSelfEvaluation } from '../domain/evaluations';
import { auditPut } from './audit';
import { type Db, getItem, queryAll, stripKeys, transact, type TransactItem } from './db';
import { keys } from './keys';

const V = 1;

export function selfEvaluationItem(e: StoredSelfEvaluation): Record<string, unknown> {
  return { ...keys.selfEvaluation(e.projectId), ...keys.selfEvaluationIndex(e.year, e.deptId, e.projectId), entity: 'SelfEvaluation', v: V, ...e };
}

export function selfEvaluationsRepo(db: Db) {
  const put = (Item: Record<string, unknown>, condition = 'attribute_not_exists(PK)'): TransactItem => ({
    Put: { TableName: db.table, Item, ConditionExpression: condition },
  });
  return {
    async get(projectId: string): Promise<StoredSelfEvaluation | undefined> {
      const item = await getItem(db, keys.selfEvaluation(projectId));
      return item ? stripKeys<StoredSelfEvaluation>(item) : undefined;
    },
    async write(next: StoredSelfEvaluation, prevRev: number, extra: { saveVersion: boolean; review?: SelfEvaluationReview; audit: AuditEntry }) {
      const current: TransactItem = {
        Put: {
          TableName: db.table,
          Item: selfEvaluationItem(next),
          ...(prevRev === 0
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : { ConditionExpression: 'rev = :rev', ExpressionAttributeValues: { ':rev': prevRev } }),
        },
      };
      const items: TransactItem[] = [current];
      if (extra.saveVersion) items.push(put({ ...keys.selfEvaluationVersion(next.projectId, next.version), entity: 'SelfEvaluationVersion', v: V, ...next }));
      if (extra.review)
        items.push(
          put({
            ...keys.selfEvaluationReview(next.projectId, extra.review.reviewId),
            entity: 'SelfEvaluationReview',
            v: V,
            projectId: next.projectId,
            ...extra.review,
          }),
        );
      items.push(auditPut(db, keys.project(next.projectId).PK, extra.audit));
      const out = await transact(db, items);
      return out.ok ? ('ok' as const) : ('conflict' as const);
    },
    async history(projectId: string) {
      const items = await queryAll(db, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.selfEvaluation(projectId).PK, ':prefix': keys.selfEvaluationHistoryPrefix() },
      });
      return {
        versions: items.filter((i) => i.entity === 'SelfEvaluationVersion').map((i) => stripKeys<StoredSelfEvaluation>(i)),
        reviews: items.filter((i) => i.entity === 'SelfEvaluationReview').map((i) => stripKeys<SelfEvaluationReview>(i)),
      };
    },
    async list(year: number, deptId?: string): Promise<StoredSelfEvaluation[]> {
      const items = await queryAll(db, {
        IndexName: 'GSI1',
        KeyConditionExpression: deptId ? 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)' : 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.selfEvaluationsPartition(year), ...(deptId ? { ':prefix': keys.selfEvaluationsOfDeptPrefix(deptId) } : {}) },
      });
      return items.map((i) => stripKeys<StoredSelfEvaluation>(i));
    },
    async publish(year: number, deptId: string, at: string, by: string, audit: AuditEntry) {
      const key = keys.selfEvaluationPublication(year, deptId);
      const out = await transact(db, [
        put({ ...key, entity: 'SelfEvaluationPublication', v: V, year, deptId, publishedAt: at, publishedBy: by }),
        auditPut(db, key.PK, audit),
      ]);
      return out.ok ? ('ok' as const) : ('exists' as const);
    },
    async publishedDepartments(year: number): Promise<string[]> {
      const items = await queryAll(db, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :d)',
        ExpressionAttributeValues: { ':pk': keys.selfEvaluationPublicationsPartition(year), ':d': 'D#' },
      });
      return items.map((i) => i.deptId as string);
    },
  };
}
