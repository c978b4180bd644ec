/** What a use case needs from the outside world, passed in so tests can hand over their own. */
import type { Db } from '../aws/db';
import type { Clock, Ids } from './ports';

export interface AppDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
}
