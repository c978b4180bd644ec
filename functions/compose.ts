/**
 * The composition root: real clients, clock and ids, made once at module scope by each
 * function entry, and the repositories built on them. Nothing below `shared/` makes clients.
 */
import type { AppDeps } from '../shared/app/context';
import { systemClock, ulidIds } from '../shared/app/ports';
import type { Repositories } from '../shared/app/repositories';
import { config, documentClient } from '../shared/aws/clients';
import type { Db } from '../shared/aws/db';
import { tableRepositories } from '../shared/aws/repositories';

export function depsFor(db: Db, clock = systemClock, ids = ulidIds): AppDeps {
  const repos: Repositories = tableRepositories(db);
  return { db, repos, clock, ids };
}

export function liveDeps(): AppDeps {
  return depsFor({ doc: documentClient(), table: config().TABLE_NAME });
}
