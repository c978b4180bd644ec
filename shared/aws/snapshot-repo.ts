/**
 * Monitoring snapshots in the table (SPEC §3.5), as the snapshot job writes them and the API
 * pages them: the closing marker (reports check it in their transaction), ONE write per project
 * (the snapshot item with its email line and, when it suspends the project, the guarded status
 * change and its audit record), the department roll-ups with their lines, the header last; and
 * the suspension lifted by the performance office.
 */
import { PutCommand, unmarshall } from '@jixiao/aws-sdk';
import { ValidationError } from '../domain/errors';
import type { LineTo, SnapshotDepartment, SnapshotHeader, SnapshotProject, StatusMove } from '../domain/snapshots';
import { auditPut } from './audit';
import { type Db, decodeToken, encodeToken, getItem, queryPage, stripKeys, transact, type TransactItem } from './db';
import { departmentsRepo } from './departments-repo';
import { keys } from './keys';
import { snapshotDepartmentItem, snapshotHeaderItem, snapshotProjectItem } from './monitoring-repo';
import { outboxLinePut } from './outbox';

export type SnapshotPutOutcome = { kind: 'written' } | { kind: 'existing'; item: SnapshotProject } | { kind: 'moved' };

function statusItems(db: Db, m: StatusMove): TransactItem[] {
  return [
    {
      Update: {
        TableName: db.table,
        Key: keys.project(m.project.projectId),
        UpdateExpression: 'SET #status = :to, flags = :flags, suspension = :suspension, updatedAt = :now ADD #version :one',
        ConditionExpression: '#status = :from AND #version = :v',
        ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
        ExpressionAttributeValues: {
          ':from': m.from,
          ':to': m.to,
          ':flags': m.flags,
          ':suspension': m.suspension,
          ':now': m.now,
          ':one': 1,
          ':v': m.project.version,
        },
      },
    },
    auditPut(db, keys.project(m.project.projectId).PK, m.audit),
  ];
}

async function putIfAbsent(db: Db, item: Record<string, unknown>): Promise<boolean> {
  try {
    await db.doc.send(new PutCommand({ TableName: db.table, Item: item, ConditionExpression: 'attribute_not_exists(PK)' }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

async function getItemStrict(db: Db, key: { PK: string; SK: string }): Promise<Record<string, unknown>> {
  const item = await getItem(db, key);
  if (!item) throw new Error(`expected ${key.PK} ${key.SK} to exist`);
  return item;
}

/** Puts the item; if it is already there, returns the stored one (ALL_OLD) instead. */
async function putReturningOld(db: Db, item: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
  try {
    await db.doc.send(
      new PutCommand({ TableName: db.table, Item: item, ConditionExpression: 'attribute_not_exists(PK)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
    );
    return undefined;
  } catch (error) {
    const e = error as { name?: string; Item?: Record<string, unknown> };
    if (e.name !== 'ConditionalCheckFailedException') throw error;
    if (e.Item) return unmarshall(e.Item as Parameters<typeof unmarshall>[0]);
    return getItemStrict(db, { PK: item.PK as string, SK: item.SK as string });
  }
}

/** ONE write: the project's snapshot item, with its line and its suspension when there are any. */
async function putProject(db: Db, s: SnapshotProject, extras: { line?: LineTo; suspend?: StatusMove }): Promise<SnapshotPutOutcome> {
  const item = snapshotProjectItem(s);
  if (!extras.line && !extras.suspend) {
    const old = await putReturningOld(db, item);
    return old ? { kind: 'existing', item: stripKeys<SnapshotProject>(old) } : { kind: 'written' };
  }
  const writes: TransactItem[] = [
    { Put: { TableName: db.table, Item: item, ConditionExpression: 'attribute_not_exists(PK)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
  ];
  if (extras.line) writes.push(outboxLinePut(db, extras.line.group, extras.line.deptId, extras.line.lineId, extras.line.line));
  // Once only: the snapshot item's condition cancels the whole write on a rerun.
  if (extras.suspend) writes.push(...statusItems(db, extras.suspend));
  const outcome = await transact(db, writes);
  if (outcome.ok) return { kind: 'written' };
  if (outcome.reasons[0] !== 'ConditionalCheckFailed') return { kind: 'moved' };
  const old = outcome.oldItems[0] ?? (await getItemStrict(db, keys.snapshotProject(s.year, s.checkpoint, s.deptId, s.projectId)));
  return { kind: 'existing', item: stripKeys<SnapshotProject>(old) };
}

interface SnapshotToken {
  d: string;
  k?: Record<string, unknown>;
}

/** A page of a snapshot's projects, department by department, each in project id order. */
async function projectsPage(db: Db, year: number, checkpoint: string, deptIds: string[], limit: number, nextToken?: string) {
  let index = 0;
  let startKey: Record<string, unknown> | undefined;
  if (nextToken) {
    const token = decodeToken(nextToken) as Partial<SnapshotToken> | undefined;
    index = token && typeof token.d === 'string' ? deptIds.indexOf(token.d) : -1;
    if (index < 0) throw new ValidationError([{ path: 'query.nextToken', message: 'not a token this list gave' }]);
    startKey = token?.k;
  }
  const items: SnapshotProject[] = [];
  let next: SnapshotToken | undefined;
  while (index < deptIds.length) {
    const deptId = deptIds[index] as string;
    const page = await queryPage<Record<string, unknown>>(
      db,
      { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.snapshotProjectsPartition(year, checkpoint, deptId) } },
      limit - items.length,
      startKey ? encodeToken(startKey) : undefined,
    );
    items.push(...page.items.map((i) => stripKeys<SnapshotProject>(i)));
    startKey = undefined;
    if (page.nextToken) {
      next = { d: deptId, k: decodeToken(page.nextToken) as Record<string, unknown> };
      break;
    }
    index++;
    if (items.length >= limit) {
      if (index < deptIds.length) next = { d: deptIds[index] as string };
      break;
    }
  }
  return { items, ...(next ? { nextToken: encodeToken(next as unknown as Record<string, unknown>) } : {}) };
}

export function snapshotRepo(db: Db) {
  return {
    /** The closing marker: filing for the checkpoint ends here. False if it was there already. */
    close: (year: number, checkpoint: string, runId: string, closedAt: string) =>
      putIfAbsent(db, { ...keys.snapshotClosed(year, checkpoint), entity: 'SnapshotClosed', v: 1, year, checkpoint, runId, closedAt }),
    putProject: (s: SnapshotProject, extras: { line?: LineTo; suspend?: StatusMove }) => putProject(db, s, extras),
    /** A department's roll-up and its line; a cancelled write means a previous run wrote both. */
    async putDepartment(d: SnapshotDepartment, line?: LineTo): Promise<void> {
      const writes: TransactItem[] = [{ Put: { TableName: db.table, Item: snapshotDepartmentItem(d), ConditionExpression: 'attribute_not_exists(PK)' } }];
      if (line) writes.push(outboxLinePut(db, line.group, line.deptId, line.lineId, line.line));
      await transact(db, writes);
    },
    putHeader: (h: SnapshotHeader) => putIfAbsent(db, snapshotHeaderItem(h)),
    /** Whether a token could have come from projectsPage (checked before anything is read). */
    isPageToken(token: string): boolean {
      const decoded = decodeToken(token) as Partial<SnapshotToken> | undefined;
      return !!decoded && typeof decoded.d === 'string';
    },
    projectsPage: (year: number, checkpoint: string, deptIds: string[], limit: number, nextToken?: string) =>
      projectsPage(db, year, checkpoint, deptIds, limit, nextToken),
    /** The names departments are told by, by id. */
    async departmentNames(): Promise<Map<string, string>> {
      return new Map((await departmentsRepo(db).list()).map((d) => [d.deptId, d.name]));
    },
    /** A project's status moving (lifting a suspension); false if it moved since it was read. */
    async moveStatus(m: StatusMove): Promise<boolean> {
      return (await transact(db, statusItems(db, m))).ok;
    },
  };
}
export type SnapshotRepo = ReturnType<typeof snapshotRepo>;
