/**
 * Thin helpers over the DocumentClient: reads, paged queries, and transactions whose
 * cancellation reasons come back as data. Repositories build on these.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  TransactionCanceledException,
  type TransactWriteCommandInput,
  unmarshall,
} from '@jixiao/aws-sdk';
import { forEachLimit } from '../domain/concurrency';

export interface Db {
  doc: DynamoDBDocumentClient;
  table: string;
}

export type Item = Record<string, unknown>;
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export async function getItem<T = Item>(db: Db, key: { PK: string; SK: string }, consistent = true): Promise<T | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.table, Key: key, ConsistentRead: consistent }));
  return out.Item as T | undefined;
}

export type QueryInput = Omit<QueryCommandInput, 'TableName'>;

/** Pages of a query, one request each; stops after `limit` items when given. */
export async function* queryPages<T = Item>(db: Db, input: QueryInput, limit?: number): AsyncGenerator<T[]> {
  let startKey = input.ExclusiveStartKey;
  let seen = 0;
  do {
    const out = await db.doc.send(new QueryCommand({ ...input, TableName: db.table, ExclusiveStartKey: startKey }));
    const items = (out.Items ?? []) as T[];
    seen += items.length;
    yield items;
    startKey = out.LastEvaluatedKey;
  } while (startKey && (limit === undefined || seen < limit));
}

export async function queryAll<T = Item>(db: Db, input: QueryInput): Promise<T[]> {
  const all: T[] = [];
  for await (const page of queryPages<T>(db, input)) all.push(...page);
  return all;
}

/** One page and the token for the next, for list endpoints. */
export async function queryPage<T = Item>(db: Db, input: QueryInput, limit: number, nextToken?: string): Promise<{ items: T[]; nextToken?: string }> {
  const out = await db.doc.send(new QueryCommand({ ...input, TableName: db.table, Limit: limit, ExclusiveStartKey: decodeToken(nextToken) }));
  const result: { items: T[]; nextToken?: string } = { items: (out.Items ?? []) as T[] };
  if (out.LastEvaluatedKey) result.nextToken = encodeToken(out.LastEvaluatedKey);
  return result;
}

/** The number of items a query matches (Select COUNT, every page): the one COUNT loop. */
export async function countQuery(db: Db, input: QueryInput): Promise<number> {
  let total = 0;
  let startKey = input.ExclusiveStartKey;
  do {
    const out = await db.doc.send(new QueryCommand({ ...input, TableName: db.table, Select: 'COUNT', ExclusiveStartKey: startKey }));
    total += out.Count ?? 0;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return total;
}

/**
 * Puts and deletes in BatchWriteItem requests of 25, `concurrency` at a time; unprocessed items
 * are retried with exponential backoff until written: the one batch-retry loop.
 */
export async function batchWriteAll(db: Db, puts: Item[], deletes: { PK: string; SK: string }[] = [], concurrency = 16): Promise<{ requests: number }> {
  type Write = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: { PK: string; SK: string } } };
  const writes: Write[] = [...puts.map((Item) => ({ PutRequest: { Item } })), ...deletes.map((Key) => ({ DeleteRequest: { Key } }))];
  const chunks: Write[][] = [];
  for (let i = 0; i < writes.length; i += 25) chunks.push(writes.slice(i, i + 25));
  let requests = 0;
  await forEachLimit(chunks, concurrency, async (chunk) => {
    let pending = chunk;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 12) throw new Error('BatchWrite: items still unprocessed after 12 retries');
      if (attempt > 0) await sleep(Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random()));
      requests++;
      const res = await db.doc.send(new BatchWriteCommand({ RequestItems: { [db.table]: pending } }));
      pending = (res.UnprocessedItems?.[db.table] ?? []) as Write[];
    }
  });
  return { requests };
}

/** Items by key, 100 per BatchGetItem, unprocessed keys retried; missing keys are left out. */
export async function batchGetAll(db: Db, keyList: { PK: string; SK: string }[]): Promise<Item[]> {
  const out: Item[] = [];
  for (let i = 0; i < keyList.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
      [db.table]: { Keys: keyList.slice(i, i + 100), ConsistentRead: true },
    };
    for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
      if (attempt > 12) throw new Error('BatchGet: keys still unprocessed after 12 retries');
      if (attempt > 0) await sleep(Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random()));
      const res = await db.doc.send(new BatchGetCommand({ RequestItems: request }));
      out.push(...((res.Responses?.[db.table] ?? []) as Item[]));
      request = res.UnprocessedKeys as typeof request;
    }
  }
  return out;
}

export function encodeToken(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeToken(token: string | undefined): Record<string, unknown> | undefined {
  if (!token) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through: a token we did not make
  }
  return undefined;
}

export interface TransactOutcome {
  ok: boolean;
  /** Per item, the reason code when the transaction was cancelled ('None' where it was fine). */
  reasons: string[];
  /** Per item, the item as it was, where a condition failed and ALL_OLD was asked for. */
  oldItems: (Item | undefined)[];
}

/**
 * Runs a transaction; a cancellation for failed conditions is returned, not thrown, so callers
 * decide what a failed guard means (already done, stale version, not enough budget...).
 * Transaction conflicts with a concurrent writer are retried by the SDK and then here.
 */
export async function transact(db: Db, items: TransactItem[], token?: string): Promise<TransactOutcome> {
  for (let attempt = 0; ; attempt++) {
    try {
      await db.doc.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: token }));
      return { ok: true, reasons: items.map(() => 'None'), oldItems: [] };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
      if (reasons.includes('TransactionConflict') && attempt < 8) {
        await sleep(20 * 2 ** attempt + Math.random() * 20);
        continue;
      }
      if (reasons.some((r) => r !== 'None' && r !== 'ConditionalCheckFailed')) throw error;
      const oldItems = (error.CancellationReasons ?? []).map((r) => (r.Item ? (unmarshall(r.Item as Parameters<typeof unmarshall>[0]) as Item) : undefined));
      return { ok: false, reasons, oldItems };
    }
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const KEY_FIELDS = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'entity', 'v', 'expiresAt']);

/** An item without its table keys and bookkeeping: the entity as the application sees it. */
export function stripKeys<T>(item: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_FIELDS.has(k)) out[k] = v;
  return out as T;
}
