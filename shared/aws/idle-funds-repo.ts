/**
 * Idle-fund records (carryovers, payables, account balances) and the sweeps' totals in the
 * table. Keys come from keys.ts:
 *   record           CARRY#id / PAYABLE#id / ACCT#id
 *   GSI1 (lists)     IDLE#{kind}            {deptId}#{id}
 *   GSI2 (sweep)     IDLEDUE#{kind}#{shard} {originYear | since | lastMovementDate}#{id}   sparse: open, money > 0
 *   sweep totals     IDLESWEEP#{year}       {asOf}#{shard}
 */
import { BatchGetCommand } from '@jixiao/aws-sdk';
import {
  type IdleKind,
  type IdleRecord,
  isSweepCandidate,
  KIND_INFO,
  type Reclamation,
  type RecordOf,
  type RecordStatus,
  recordAmount,
  recordId,
  sweepSortValue,
} from '../domain/idle-records';
import type { AuditEntry } from '../domain/audit';
import type { DeductionRule } from '../domain/ledger';
import { addToTotals, emptySweepTotals, type RuleTotal, type SweepTotals, sweepTotalsView } from '../domain/sweep-totals';
import { auditPut } from './audit';
import { departmentsRepo } from './departments-repo';
import { projectsRepo } from './projects-repo';
import { type Db, getItem, queryAll, queryPage, type QueryInput, stripKeys, transact, type TransactItem } from './db';
import { forEachSharded } from './leaves';
import { keys, shardOf } from './keys';

export function recordItem(r: IdleRecord): Record<string, unknown> {
  const id = recordId(r);
  return {
    ...keys.idleRecord(r.kind, id),
    ...keys.idleRecordIndex(r.kind, r.deptId, id),
    ...(isSweepCandidate(r) ? keys.idleDueIndex(r.kind, id, sweepSortValue(r)) : {}),
    entity: KIND_INFO[r.kind].entity,
    v: 1,
    ...r,
  };
}

/**
 * Writes a record: a new one only if the id is free, a changed one only if it is still the
 * version that was read and still open (a reclaimed record is never rewritten).
 */
export function recordPut(db: Db, r: IdleRecord, previousVersion: number | undefined): TransactItem {
  return {
    Put: {
      TableName: db.table,
      Item: recordItem(r),
      ConditionExpression: previousVersion === undefined ? 'attribute_not_exists(PK)' : 'version = :v AND #status <> :reclaimed',
      ...(previousVersion === undefined
        ? {}
        : { ExpressionAttributeNames: { '#status': 'status' }, ExpressionAttributeValues: { ':v': previousVersion, ':reclaimed': 'reclaimed' } }),
    },
  };
}

/**
 * The reclamation of a record, for the ledger transaction: guarded by the version and amount
 * it was computed from and by still being open; its money goes to 0, it is marked reclaimed
 * and it leaves the sweep's index.
 */
export function recordReclaimChange(db: Db, r: IdleRecord, reclamation: Reclamation, actor: string): TransactItem {
  const amountField = KIND_INFO[r.kind].amountField;
  return {
    Update: {
      TableName: db.table,
      Key: keys.idleRecord(r.kind, recordId(r)),
      UpdateExpression:
        'SET #amount = :zero, #status = :reclaimed, reclaimed = :rec, updatedAt = :now, updatedBy = :actor ADD version :one REMOVE GSI2PK, GSI2SK',
      ConditionExpression: 'version = :v AND #status = :open AND #amount = :before',
      ExpressionAttributeNames: { '#amount': amountField, '#status': 'status' },
      ExpressionAttributeValues: {
        ':zero': 0,
        ':reclaimed': 'reclaimed',
        ':rec': reclamation,
        ':now': reclamation.at,
        ':actor': actor,
        ':one': 1,
        ':v': r.version,
        ':open': 'open',
        ':before': recordAmount(r),
      },
    },
  };
}

/**
 * For the REVERSAL of a record's reclamation (an appeal upheld), in the reversal's ledger
 * transaction: the money comes back, guarded by the record still being closed by exactly that
 * entry; it is marked restored and stays out of the sweep's index, so the next sweep does not
 * take it again (a later PUT of the record reopens it).
 */
export function recordRestoreChange(
  db: Db,
  r: IdleRecord,
  p: { originalId: string; reversalId: string; amountFen: number; now: string; actor: string },
): TransactItem {
  return {
    Update: {
      TableName: db.table,
      Key: keys.idleRecord(r.kind, recordId(r)),
      UpdateExpression: 'SET #amount = :amount, #status = :restored, restored = :rest, updatedAt = :now, updatedBy = :actor ADD version :one',
      ConditionExpression: '#status = :reclaimed AND reclaimed.deductionId = :original',
      ExpressionAttributeNames: { '#amount': KIND_INFO[r.kind].amountField, '#status': 'status' },
      ExpressionAttributeValues: {
        ':amount': p.amountFen,
        ':restored': 'restored',
        ':rest': { reversalId: p.reversalId, at: p.now },
        ':now': p.now,
        ':actor': p.actor,
        ':one': 1,
        ':reclaimed': 'reclaimed',
        ':original': p.originalId,
      },
    },
  };
}

/** Adds one ledger entry to its sweep's totals (in the entry's own transaction). */
export function sweepTotalsAdd(
  db: Db,
  p: { year: number; asOf: string; entryId: string; deptId: string; rule: DeductionRule; amountFen: number },
): TransactItem {
  const cell = `${p.deptId}~${p.rule}`;
  return {
    Update: {
      TableName: db.table,
      Key: keys.idleSweepTotals(p.year, p.asOf, shardOf(p.entryId)),
      UpdateExpression: 'ADD #fen :amt, #n :one SET entity = :entity, asOf = :asOf',
      ExpressionAttributeNames: { '#fen': `fen~${cell}`, '#n': `n~${cell}` },
      ExpressionAttributeValues: { ':amt': p.amountFen, ':one': 1, ':entity': 'IdleSweepTotals', ':asOf': p.asOf },
    },
  };
}

export { addToTotals, emptySweepTotals, type RuleTotal, type SweepTotals, sweepTotalsView };

/** The stored totals of a year's sweeps (or of one as-of date), summed over their shards. */
export async function readSweepTotals(db: Db, year: number, asOf?: string): Promise<SweepTotals[]> {
  const items = await queryAll(db, {
    KeyConditionExpression: asOf ? 'PK = :pk AND begins_with(SK, :asOf)' : 'PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.idleSweepPartition(year), ...(asOf ? { ':asOf': `${asOf}#` } : {}) },
    ConsistentRead: true,
  });
  const byAsOf = new Map<string, SweepTotals>();
  for (const item of items) {
    const at = String(item.asOf);
    const totals = byAsOf.get(at) ?? emptySweepTotals(at);
    byAsOf.set(at, totals);
    for (const [name, value] of Object.entries(item)) {
      if (!name.startsWith('fen~')) continue;
      const [, deptId, rule] = name.split('~') as [string, string, string];
      addToTotals(totals, deptId, rule, Number(item[`n~${deptId}~${rule}`] ?? 0), Number(value));
    }
  }
  return [...byAsOf.values()].sort((a, b) => a.asOf.localeCompare(b.asOf));
}

export function idleRepo(db: Db) {
  return {
    /** Writes `next` over the version read (or as new) with its audit record; false if it moved. */
    async write(next: IdleRecord, previousVersion: number | undefined, audit: AuditEntry): Promise<boolean> {
      const outcome = await transact(db, [recordPut(db, next, previousVersion), auditPut(db, keys.idleRecord(next.kind, recordId(next)).PK, audit)]);
      return outcome.ok;
    },
    forEachDue: (kind: IdleKind, before: string, concurrency: number, fn: (r: IdleRecord) => Promise<void>) => forEachDue(db, kind, before, concurrency, fn),
    sweepTotals: (year: number, asOf?: string) => readSweepTotals(db, year, asOf),
    /** What records refer to: the departments there are, and the departments of projects. */
    async departmentIds(): Promise<Set<string>> {
      return new Set((await departmentsRepo(db).list()).map((d) => d.deptId));
    },
    async departmentExists(deptId: string): Promise<boolean> {
      return (await departmentsRepo(db).get(deptId)) !== undefined;
    },
    async projectDepartment(projectId: string): Promise<string | undefined> {
      return (await projectsRepo(db).get(projectId))?.deptId;
    },
    async projectDepartments(projectIds: string[]): Promise<Map<string, string>> {
      const found = await projectsRepo(db).getMany(projectIds);
      return new Map([...found].map(([id, p]) => [id, p.deptId]));
    },
    async get<K extends IdleKind>(kind: K, id: string): Promise<RecordOf[K] | undefined> {
      const item = await getItem(db, keys.idleRecord(kind, id));
      return item ? stripKeys<RecordOf[K]>(item) : undefined;
    },
    async getMany<K extends IdleKind>(kind: K, ids: string[]): Promise<Map<string, RecordOf[K]>> {
      const out = new Map<string, RecordOf[K]>();
      const unique = [...new Set(ids)];
      for (let i = 0; i < unique.length; i += 100) {
        let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead?: boolean }> | undefined = {
          [db.table]: { Keys: unique.slice(i, i + 100).map((id) => keys.idleRecord(kind, id)), ConsistentRead: true },
        };
        while (request && Object.keys(request).length > 0) {
          const res = await db.doc.send(new BatchGetCommand({ RequestItems: request }));
          for (const item of res.Responses?.[db.table] ?? []) {
            const r = stripKeys<RecordOf[K]>(item);
            out.set(recordId(r), r);
          }
          request = res.UnprocessedKeys as typeof request;
        }
      }
      return out;
    },
    async page(kind: IdleKind, q: { deptId?: string; status?: RecordStatus; limit: number; nextToken?: string }) {
      const input: QueryInput = {
        IndexName: 'GSI1',
        KeyConditionExpression: q.deptId ? 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)' : 'GSI1PK = :pk',
        ExpressionAttributeValues: {
          ':pk': keys.idleRecordsPartition(kind),
          ...(q.deptId ? { ':prefix': keys.idleRecordsOfDeptPrefix(q.deptId) } : {}),
          ...(q.status ? { ':status': q.status } : {}),
        },
        ...(q.status ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } } : {}),
      };
      const page = await queryPage(db, input, q.limit, q.nextToken);
      return { items: page.items.map((i) => stripKeys<IdleRecord>(i)), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },
  };
}

/**
 * Walks the sweep's index of one kind, every shard, reading only `GSI2SK < before` (records
 * that may be due), and hands each record to `fn` with at most `concurrency` in flight.
 */
export async function forEachDue(
  db: Db,
  kind: IdleKind,
  before: string,
  concurrency: number,
  fn: (r: IdleRecord) => Promise<void>,
): Promise<{ read: number; pages: number }> {
  return forEachSharded<IdleRecord>(
    db,
    (shard) => ({
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK < :before',
      ExpressionAttributeValues: { ':pk': keys.idleDuePartition(kind, shard), ':before': before },
    }),
    concurrency,
    fn,
  );
}
