/**
 * The indicator library in the table (keys from keys.ts). Reads go through GSI1 by scope with
 * the hierarchy as a key prefix; writes of an import go in BatchWriteItem requests of 25 with
 * bounded concurrency, unprocessed items retried with backoff.
 */
import { BatchGetCommand, DeleteCommand, PutCommand, QueryCommand } from '@jixiao/aws-sdk';
import type { AuditEntry } from '../domain/audit';
import type { Indicator, IndicatorFilter, LibraryChanges, LibraryMeta, Scope } from '../domain/indicators';
import { auditPut } from './audit';
import {
  batchWriteAll,
  countQuery,
  type Db,
  decodeToken,
  encodeToken,
  getItem,
  type Item,
  type QueryInput,
  queryAll,
  sleep,
  stripKeys as strip,
  transact,
} from './db';
import { keys } from './keys';
import { stripKeys } from './projects-repo';

export type { IndicatorFilter } from '../domain/indicators';

export function indicatorItem(i: Indicator): Item {
  return { ...keys.indicator(i.code), ...keys.indicatorIndex(i), entity: 'Indicator', v: 1, ...i };
}

const fromItem = (item: Item): Indicator => {
  const out = stripKeys<Indicator & { updatedAt?: string; importId?: string }>(item);
  delete out.updatedAt;
  delete out.importId;
  return out;
};

/**
 * One query per scope partition the filter can touch, in export order (general, then core):
 * the longest run of the hierarchy that is given becomes the key prefix, the rest a filter.
 */
export function queryPlans(f: IndicatorFilter): QueryInput[] {
  const scopes: Scope[] = f.scope ? [f.scope] : ['general', 'core'];
  const plans: QueryInput[] = [];
  for (const scope of scopes) {
    if (scope === 'general' && (f.domain !== undefined || f.fundUse !== undefined)) continue;
    const hierarchy: [keyof IndicatorFilter, string | undefined][] =
      scope === 'general'
        ? [
            ['category', f.category],
            ['level1', f.level1],
          ]
        : [
            ['domain', f.domain],
            ['category', f.category],
            ['fundUse', f.fundUse],
            ['level1', f.level1],
          ];
    const prefix: string[] = [];
    let i = 0;
    for (; i < hierarchy.length && hierarchy[i]?.[1] !== undefined; i++) prefix.push(hierarchy[i]?.[1] as string);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': keys.indicatorsPartition(scope) };
    const filters: string[] = [];
    for (const [field, value] of hierarchy.slice(i)) {
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      filters.push(`#${field} = :${field}`);
    }
    let condition = 'GSI1PK = :pk';
    if (prefix.length > 0) {
      condition += ' AND begins_with(GSI1SK, :prefix)';
      values[':prefix'] = `${prefix.join('#')}#`;
    }
    plans.push({
      IndexName: 'GSI1',
      KeyConditionExpression: condition,
      ...(filters.length > 0 ? { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
    });
  }
  return plans;
}

export function indicatorsRepo(db: Db) {
  return {
    async getMany(codes: string[]): Promise<Map<string, Indicator>> {
      const out = new Map<string, Indicator>();
      const unique = [...new Set(codes)];
      for (let i = 0; i < unique.length; i += 100) {
        let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
          [db.table]: { Keys: unique.slice(i, i + 100).map((c) => keys.indicator(c)) },
        };
        for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
          if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
          const res = await db.doc.send(new BatchGetCommand({ RequestItems: request }));
          for (const item of res.Responses?.[db.table] ?? []) {
            const ind = fromItem(item);
            out.set(ind.code, ind);
          }
          request = res.UnprocessedKeys as typeof request;
        }
      }
      return out;
    },

    /** A page of the library in key order, across the partitions the filter touches. */
    async page(f: IndicatorFilter, limit: number, nextToken?: string): Promise<{ items: Indicator[]; nextToken?: string }> {
      const plans = queryPlans(f);
      const token = decodeToken(nextToken) as { p?: number; k?: Record<string, unknown> } | undefined;
      let p = typeof token?.p === 'number' ? token.p : 0;
      let startKey = token?.k;
      const items: Item[] = [];
      while (p < plans.length) {
        const plan = plans[p] as QueryInput;
        const res = await db.doc.send(
          new QueryCommand({ ...plan, TableName: db.table, Limit: plan.FilterExpression ? 500 : limit - items.length, ExclusiveStartKey: startKey }),
        );
        const got = (res.Items ?? []) as Item[];
        const room = limit - items.length;
        if (got.length > room) {
          items.push(...got.slice(0, room));
          const last = items[items.length - 1] as Item;
          return { items: items.map(fromItem), nextToken: encodeToken({ p, k: pickKey(last) }) };
        }
        items.push(...got);
        if (res.LastEvaluatedKey) startKey = res.LastEvaluatedKey;
        else {
          p += 1;
          startKey = undefined;
        }
        if (items.length >= limit) break;
      }
      const result: { items: Indicator[]; nextToken?: string } = { items: items.map(fromItem) };
      if (p < plans.length) result.nextToken = encodeToken({ p, ...(startKey ? { k: startKey } : {}) });
      return result;
    },

    /** How many indicators the filter matches (COUNT queries: nothing but the figure comes back). */
    async count(f: IndicatorFilter): Promise<number> {
      const counts = await Promise.all(queryPlans(f).map((plan) => countQuery(db, plan)));
      return counts.reduce((a, b) => a + b, 0);
    },

    /** Everything the filter matches, in export order. */
    async all(f: IndicatorFilter = {}): Promise<Indicator[]> {
      const parts = await Promise.all(queryPlans(f).map((plan) => queryAll(db, plan)));
      return parts.flat().map(fromItem);
    },

    /**
     * Puts and deletes in BatchWriteItem requests of 25, `concurrency` at a time; unprocessed
     * items are retried with exponential backoff until they are written.
     */
    writeBatch(puts: Item[], deletes: { PK: string; SK: string }[], concurrency = 16): Promise<{ requests: number }> {
      return batchWriteAll(db, puts, deletes, concurrency);
    },

    /** An import's changes: the indicators, the history item of each changed one, the deletes. */
    async applyImport(c: LibraryChanges): Promise<void> {
      const history = c.history.map(({ before, change }) => ({
        ...keys.indicatorHistory(before.code, c.importId),
        entity: 'IndicatorHistory',
        v: 1,
        before,
        change,
        importId: c.importId,
        at: c.at,
        by: c.by,
      }));
      // History first, in the order the import met them, as before.
      const puts: Item[] = [...history, ...c.puts.map((i) => ({ ...indicatorItem(i), importId: c.importId, updatedAt: c.at }))];
      await batchWriteAll(
        db,
        puts,
        c.deletes.map((code) => keys.indicator(code)),
      );
    },

    async meta(): Promise<LibraryMeta | undefined> {
      const item = await getItem(db, keys.indicatorLibrary());
      return item ? strip<LibraryMeta>(item) : undefined;
    },

    /** The library's figures after an import, with the import's audit record. False: it failed a condition. */
    async saveMeta(meta: LibraryMeta, audit: AuditEntry): Promise<boolean> {
      const outcome = await transact(db, [
        { Put: { TableName: db.table, Item: { ...keys.indicatorLibrary(), entity: 'IndicatorLibrary', v: 1, ...meta } } },
        auditPut(db, keys.indicatorLibrary().PK, audit),
      ]);
      return outcome.ok;
    },

    /** The import lease: taken if free or expired (TTL deletes late, so expiry is checked here). */
    async takeImportLock(owner: string, now: Date, leaseSeconds: number): Promise<boolean> {
      const nowSeconds = Math.floor(now.getTime() / 1000);
      try {
        await db.doc.send(
          new PutCommand({
            TableName: db.table,
            Item: { ...keys.indicatorImportLock(), entity: 'Lock', v: 1, owner, expiresAt: nowSeconds + leaseSeconds },
            ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': nowSeconds },
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },

    async releaseImportLock(owner: string): Promise<void> {
      try {
        await db.doc.send(
          new DeleteCommand({
            TableName: db.table,
            Key: keys.indicatorImportLock(),
            ConditionExpression: '#owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner' },
            ExpressionAttributeValues: { ':owner': owner },
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    },
  };
}
export type IndicatorsRepo = ReturnType<typeof indicatorsRepo>;

function pickKey(item: Item): Record<string, unknown> {
  return { PK: item.PK, SK: item.SK, GSI1PK: item.GSI1PK, GSI1SK: item.GSI1SK };
}
