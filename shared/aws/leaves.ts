/**
 * Walks the leaf projects of a year through the sparse, sharded GSI2 (never a Scan): every
 * shard is queried in pages, and each project is handed to `fn` with at most `concurrency`
 * calls in flight.
 */
import type { Project } from '../domain/project';
import { type Db, queryPages } from './db';
import { keys, LEAF_SHARDS } from './keys';
import { stripKeys } from './projects-repo';

export async function forEachLeaf(
  db: Db,
  year: number,
  concurrency: number,
  fn: (p: Project) => Promise<void>,
): Promise<{ projects: number; pages: number }> {
  let projects = 0;
  let pages = 0;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const launch = async (p: Project) => {
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (failure) throw failure;
    const task = fn(p)
      .catch((e) => {
        failure ??= e;
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  // Shards are read a few at a time; projects from all of them share one concurrency budget.
  const shardQueue = Array.from({ length: LEAF_SHARDS }, (_, i) => i);
  const readers = Array.from({ length: Math.min(4, LEAF_SHARDS) }, async () => {
    for (let shard = shardQueue.shift(); shard !== undefined; shard = shardQueue.shift()) {
      for await (const page of queryPages(db, {
        IndexName: 'GSI2',
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.leafPartition(year, shard) },
      })) {
        pages++;
        for (const item of page) {
          projects++;
          await launch(stripKeys<Project>(item));
        }
      }
    }
  });
  await Promise.all(readers);
  await Promise.all(inFlight);
  if (failure) throw failure;
  return { projects, pages };
}
