/**
 * The composition root: the real clients, clock and ids, made once at module scope by each
 * function entry, and the repositories built on them. Nothing under `shared/` makes clients or
 * picks the clock; tests, the seed and the benches build their deps with `depsFor`.
 * The table itself exists only inside the repositories: use cases see repositories.
 */
import type { AppDeps } from '../shared/app/context';
import { type Clock, type Ids, systemClock, ulidIds } from '../shared/app/ports';
import type { Repositories } from '../shared/app/repositories';
import { config, documentClient, sesClient } from '../shared/aws/clients';
import type { Db } from '../shared/aws/db';
import { type Mailer, sesMailer } from '../shared/aws/mailer';
import { tableRepositories } from '../shared/aws/repositories';

/** One factory per port, as shared/aws/repositories.ts exports them. */
export type RepositoryFactories = { [K in keyof Repositories]: (db: Db) => Repositories[K] };

export function depsFor(db: Db, clock: Clock = systemClock, ids: Ids = ulidIds): AppDeps {
  // Typed against the ports: the adapters satisfy them structurally, without importing them.
  const repos: Repositories = tableRepositories(db);
  return { repos, clock, ids };
}

/** The table of this environment (TABLE_NAME), on the one DocumentClient. */
export function liveDb(): Db {
  return { doc: documentClient(), table: config().TABLE_NAME };
}

/**
 * A function's deps: only the repositories it wires (`import * as repo from
 * '…/shared/aws/repositories'`, then `liveDeps({ departments: repo.departments, … })`), so its
 * bundle carries only those (issue 12 item 6). test/infra/synth.test.ts checks that each entry
 * wires every repository its bundle's use cases name; reading one it does not wire throws.
 */
export function liveDeps<K extends keyof Repositories>(factories: Pick<RepositoryFactories, K>): AppDeps {
  const db = liveDb();
  const wired: Partial<Repositories> = {};
  for (const key of Object.keys(factories) as K[]) wired[key] = factories[key](db);
  const repos = new Proxy(wired, {
    get(target, key) {
      if (typeof key === 'string' && !(key in target) && key in REPOSITORY_NAMES) {
        throw new Error(`The repository "${key}" is not wired into this function: add it to liveDeps() in its entry`);
      }
      return Reflect.get(target, key);
    },
  }) as Repositories;
  return { repos, clock: systemClock, ids: ulidIds };
}

/** Every port's name, for liveDeps' error: a Record, so the compiler holds it complete. */
const REPOSITORY_NAMES: Record<keyof Repositories, true> = {
  audit: true,
  departments: true,
  exAnte: true,
  ranking: true,
  cleanup: true,
  exemptions: true,
  expenditures: true,
  idempotency: true,
  idleFunds: true,
  indicators: true,
  jobRuns: true,
  leaves: true,
  ledger: true,
  monitoring: true,
  outbox: true,
  policies: true,
  pool: true,
  projectFlags: true,
  projects: true,
  snapshots: true,
  targets: true,
  selfEvaluations: true,
  keyEvaluations: true,
  suggestions: true,
  resultsProposals: true,
  evaluationSources: true,
  reports: true,
};

/** SES, sending from MAIL_FROM. */
export function liveMailer(): Mailer {
  return sesMailer(sesClient(), config().MAIL_FROM);
}
