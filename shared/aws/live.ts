/** The real dependencies, made once at module scope by each function entry. */
import type { AppDeps } from '../app/context';
import { systemClock, ulidIds } from '../app/ports';
import { config, documentClient } from './clients';

export function liveDeps(): AppDeps {
  return { db: { doc: documentClient(), table: config().TABLE_NAME }, clock: systemClock, ids: ulidIds };
}
