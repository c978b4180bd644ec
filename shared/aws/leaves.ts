/**
 * Walking a sharded, sparse index (never a Scan): every shard is queried in pages, a few shards
 * at a time, and each item is handed to `fn` with at most `concurrency` calls in flight across
 * all shards. Jobs use it for the leaf projects of a year and for idle-fund records that may be
 * due. A segment (one shard of a fanned-out run, issue 14) walks at most `limit` items of one
 * shard from a cursor (the index's LastEvaluatedKey) and says where it stopped.
 */
import type { Project, StoredProject } from '../domain/project';
import { QueryCommand } from '@jixiao/aws-sdk';
import type { LeafCursor, Segment } from '../domain/job-run';
import { type Db, type Item, type QueryInput, stripKeys } from './db';
import { keys, LEAF_SHARDS } from './keys';
import { projectsRepo } from './projects-repo';

const ALL_SHARDS = Array.from({ length: LEAF_SHARDS }, (_, i) => i);

export async function forEachSharded<T>(
  db: Db,
  shardQuery: (shard: number) => QueryInput,
  concurrency: number,
  fn: (item: T) => Promise<void>,
  shards: readonly number[] = ALL_SHARDS,
  segment?: Segment,
): Promise<{ read: number; pages: number; next?: LeafCursor }> {
  if (segment && shards.length !== 1) throw new Error('a segment is of one shard');
  let read = 0;
  let pages = 0;
  let next: LeafCursor | undefined;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const launch = async (item: T) => {
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (failure) throw failure;
    const task = fn(item)
      .catch((e) => {
        failure ??= e;
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  const shardQueue = [...shards];
  const readers = Array.from({ length: Math.min(4, shardQueue.length) }, async () => {
    for (let shard = shardQueue.shift(); shard !== undefined; shard = shardQueue.shift()) {
      const input = shardQuery(shard);
      let startKey: LeafCursor | undefined = segment?.from;
      do {
        // A segment asks for no more than it has left, so that it ends on a page boundary and the page's LastEvaluatedKey is where the next one starts.
        const Limit = segment ? segment.limit - read : undefined;
        const out = await db.doc.send(new QueryCommand({ ...input, TableName: db.table, ExclusiveStartKey: startKey, Limit }));
        pages++;
        for (const item of (out.Items ?? []) as Item[]) {
          read++;
          await launch(stripKeys<T>(item));
        }
        startKey = out.LastEvaluatedKey;
      } while (startKey && !(segment && read >= segment.limit));
      if (segment) next = startKey;
    }
  });
  // On a failure, readers stop launching; still wait for what is in flight before throwing, so
  // no write of this run is still going when the caller records the run as failed.
  const settled = await Promise.allSettled(readers);
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  const readerFailure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure;
  if (readerFailure) throw readerFailure.reason;
  return next ? { read, pages, next } : { read, pages };
}

/** Every leaf project of a year (or of some shards of its index), from the sparse leaf index GSI2. */
export async function forEachLeaf(
  db: Db,
  year: number,
  concurrency: number,
  fn: (p: Project) => Promise<void>,
  shards?: readonly number[],
  segment?: Segment,
): Promise<{ projects: number; pages: number; next?: LeafCursor }> {
  const out = await forEachSharded<Project>(
    db,
    (shard) => ({
      IndexName: 'GSI2',
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.leafPartition(year, shard) },
    }),
    concurrency,
    fn,
    shards,
    segment,
  );
  return { projects: out.read, pages: out.pages, ...(out.next ? { next: out.next } : {}) };
}

/** The leaf walker as a repository: what jobs ask for the projects they apply to. */
export function leavesRepo(db: Db) {
  return {
    forEach: (year: number, concurrency: number, fn: (p: StoredProject) => Promise<void>, shards?: readonly number[], segment?: Segment) =>
      forEachLeaf(db, year, concurrency, fn, shards, segment),
    /** How many shards the leaf index has: what a fanned-out run splits into. */
    shards: LEAF_SHARDS,
    /** One project, read strongly consistent (a guarded write failed: what is it now?). */
    project: (projectId: string) => projectsRepo(db).get(projectId) as Promise<StoredProject | undefined>,
    /** A level-1 project's children. */
    children: (parent: Pick<Project, 'year' | 'deptId' | 'projectId'>) => projectsRepo(db).children(parent),
  };
}
export type LeavesRepo = ReturnType<typeof leavesRepo>;
