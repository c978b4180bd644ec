/** What a seed generator is and what it is handed: its own file, so generators and the index that lists them import it without a circle. */
import type { Db } from '../../shared/aws/db';

export interface SeedContext {
  db: Db;
  /** Writes items (PutRequest) in batches of 25 with bounded concurrency. */
  write(items: Record<string, unknown>[]): Promise<void>;
  log(line: string): void;
}

export interface SeedGenerator {
  name: string;
  run(ctx: SeedContext): Promise<Record<string, unknown>>;
}
