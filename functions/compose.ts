/**
 * The composition root: the real clients, clock and ids, made once at module scope by each
 * function entry, and the repositories built on them. Nothing under `shared/` makes clients or
 * picks the clock; tests, the seed and the benches build their deps with `depsFor`.
 * The table itself exists only inside `tableRepositories`: use cases see repositories.
 */
import type { AppDeps } from '../shared/app/context';
import { type Clock, type Ids, systemClock, ulidIds } from '../shared/app/ports';
import type { Repositories } from '../shared/app/repositories';
import { config, documentClient, sesClient } from '../shared/aws/clients';
import type { Db } from '../shared/aws/db';
import { type Mailer, sesMailer } from '../shared/aws/mailer';
import { tableRepositories } from '../shared/aws/repositories';

export function depsFor(db: Db, clock: Clock = systemClock, ids: Ids = ulidIds): AppDeps {
  // Typed against the ports: the adapters satisfy them structurally, without importing them.
  const repos: Repositories = tableRepositories(db);
  return { repos, clock, ids };
}

/** The table of this environment (TABLE_NAME), on the one DocumentClient. */
export function liveDb(): Db {
  return { doc: documentClient(), table: config().TABLE_NAME };
}

export function liveDeps(): AppDeps {
  return depsFor(liveDb());
}

/** SES, sending from MAIL_FROM. */
export function liveMailer(): Mailer {
  return sesMailer(sesClient(), config().MAIL_FROM);
}
