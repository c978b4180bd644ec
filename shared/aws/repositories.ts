/** Every repository over one table: what the composition root hands to use cases. */
import type { Db } from './db';

export function tableRepositories(_db: Db) {
  return {};
}
