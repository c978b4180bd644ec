/**
 * The idempotency record over the table (Powertools' shape). One conditional PutItem takes the
 * key: `attribute_not_exists(PK) OR expiresAt < :now`; on failure `ALL_OLD` hands back the record
 * that holds it, so the caller learns who holds it without a second read. `expiresAt` is also the
 * table's TTL attribute, but TTL deletes late, so expiry is checked in the condition and in code.
 */
import { DeleteCommand, PutCommand, UpdateCommand, unmarshall } from '@jixiao/aws-sdk';
import { type ClaimOutcome, epochSeconds, type IdempotencyRecord, isLive } from '../domain/idempotency';
import { type Db, getItem, type Item } from './db';
import { keys } from './keys';

const ENTITY = 'Idempotency';
const VERSION = 1;

function toItem(record: IdempotencyRecord): Item {
  return { ...keys.idempotency(record.scope, record.key), entity: ENTITY, v: VERSION, ...record };
}

function fromItem(item: Item): IdempotencyRecord {
  const { scope, key, status, requestHash, owner, expiresAt, result } = item as unknown as IdempotencyRecord;
  return { scope, key, status, requestHash, owner, expiresAt: Number(expiresAt), ...(result !== undefined ? { result } : {}) };
}

const isConditionFailure = (error: unknown) => (error as { name?: string }).name === 'ConditionalCheckFailedException';

/** Only the owner completes, extends or releases its record. */
const OWNER_GUARD = { ConditionExpression: '#owner = :owner', ExpressionAttributeNames: { '#owner': 'owner' } };

export function idempotencyRepo(db: Db) {
  return {
    async claim(record: Omit<IdempotencyRecord, 'status' | 'result'>, now: Date): Promise<ClaimOutcome> {
      try {
        await db.doc.send(
          new PutCommand({
            TableName: db.table,
            Item: toItem({ ...record, status: 'in-progress' }),
            ConditionExpression: 'attribute_not_exists(PK) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': epochSeconds(now) },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { claimed: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const old = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
        if (!old) throw error;
        return { claimed: false, existing: fromItem(unmarshall(old)) };
      }
    },

    async complete(scope: string, key: string, owner: string, result: unknown, expiresAt: number): Promise<void> {
      const guard = OWNER_GUARD;
      await db.doc.send(
        new UpdateCommand({
          TableName: db.table,
          Key: keys.idempotency(scope, key),
          UpdateExpression: 'SET #status = :done, #result = :result, expiresAt = :exp',
          ConditionExpression: guard.ConditionExpression,
          ExpressionAttributeNames: { ...guard.ExpressionAttributeNames, '#status': 'status', '#result': 'result' },
          ExpressionAttributeValues: { ':owner': owner, ':done': 'completed', ':result': result, ':exp': expiresAt },
        }),
      );
    },

    async extend(scope: string, key: string, owner: string, expiresAt: number): Promise<void> {
      await db.doc.send(
        new UpdateCommand({
          TableName: db.table,
          Key: keys.idempotency(scope, key),
          UpdateExpression: 'SET expiresAt = :exp',
          ...OWNER_GUARD,
          ExpressionAttributeValues: { ':owner': owner, ':exp': expiresAt },
        }),
      );
    },

    async release(scope: string, key: string, owner: string): Promise<void> {
      try {
        await db.doc.send(
          new DeleteCommand({
            TableName: db.table,
            Key: keys.idempotency(scope, key),
            ...OWNER_GUARD,
            ExpressionAttributeValues: { ':owner': owner },
          }),
        );
      } catch (error) {
        // Another owner took the key after ours expired: theirs is not ours to delete.
        if (!isConditionFailure(error)) throw error;
      }
    },

    async get(scope: string, key: string, now: Date): Promise<IdempotencyRecord | undefined> {
      const item = await getItem(db, keys.idempotency(scope, key));
      if (!item) return undefined;
      const record = fromItem(item);
      return isLive(record, now) ? record : undefined;
    },
  };
}
