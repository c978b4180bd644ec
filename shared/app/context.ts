/** What a use case needs from the outside world, passed in so tests can hand over their own. */
import type { Db } from '../aws/db';
import type { Clock, Ids } from './ports';
import type { Repositories } from './repositories';

export interface AppDeps {
  /** @deprecated being replaced by `repos` (issue 8): no use case may touch the table itself. */
  db: Db;
  repos: Repositories;
  clock: Clock;
  ids: Ids;
}
