/** What a use case needs from the outside world, passed in so tests can hand over their own. */
import type { Clock, Ids } from './ports';
import type { Repositories } from './repositories';

export interface AppDeps {
  repos: Repositories;
  clock: Clock;
  ids: Ids;
}
