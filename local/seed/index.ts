/**
 * Seeds the local table. A seed is a list of generators, each `run(ctx) → summary`; add one
 * (targets, monitoring reports, carryovers, payables...) by appending it to its seed. Items are
 * written straight to DynamoDB with BatchWriteItem, bypassing the API: seeding is a bulk load,
 * not a sequence of user actions, so it writes no audit records and sends no email.
 *
 * A marker item records that a seed ran to the end; a second start over a persisted DATA_DIR
 * finds it and skips. A seed cut short (Ctrl-C) leaves no marker and runs again next time;
 * every generator is deterministic, so writing its items again changes nothing.
 */
import { BatchWriteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../../shared/aws/db';
import { demo2020 } from './demo-2020';
import { evaluationsSeed } from './evaluations';
import { exemptionsSeed } from './exemptions';
import { frontSeed } from './front';
import { nextYearSeed } from './next-year';
import { idleFundsSeed } from './idle-funds';
import { demoIndicators } from './indicators';
import { monitoringSeed } from './monitoring';
import { reportSeed } from './report';
import { demoTargets } from './targets';
import type { SeedContext, SeedGenerator } from './generator';

export type { SeedContext, SeedGenerator } from './generator';

export const SEEDS: Record<string, SeedGenerator[]> = {
  // monitoring reads the projects (and any targets) the generators before it wrote: keep it after them.
  // exemptions rewrites a few seeded projects (adding exemptRules): keep it last.
  // evaluations goes through the use cases and reads the 2021 continuations: after next-year;
  // front adds the clean-up's own (cancelled) requests and acts through the use cases: keep it last.
  demo: [demo2020, demoIndicators, demoTargets, monitoringSeed, idleFundsSeed, exemptionsSeed, nextYearSeed, evaluationsSeed, frontSeed, reportSeed],
  none: [],
};

/**
 * The marker's key. Local-only, so it lives here rather than in shared/aws/keys.ts; its
 * partition (`LOCAL#`) is used by nothing else.
 */
export const seedMarkerKey = (seed: string) => ({ PK: 'LOCAL#SEED', SK: `SEED#${seed}` });

export interface SeedResult {
  seed: string;
  skipped: boolean;
  seededAt?: string;
  seconds: number;
  items: number;
  summaries: Record<string, Record<string, unknown>>;
  /** Seconds each generator took. */
  generatorSeconds: Record<string, number>;
}

const BATCH = 25;

export async function batchWrite(db: Db, items: Record<string, unknown>[], concurrency = 8): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (;;) {
      const start = next;
      next += BATCH;
      if (start >= items.length) return;
      let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
        [db.table]: items.slice(start, start + BATCH).map((Item) => ({ PutRequest: { Item } })),
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        if (attempt > 10) throw new Error(`BatchWriteItem left items unprocessed after ${attempt} attempts`);
        const out = await db.doc.send(new BatchWriteCommand({ RequestItems: request }));
        request = out.UnprocessedItems as typeof request;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

export async function isSeeded(db: Db, seed: string): Promise<string | undefined> {
  const out = await db.doc.send(new GetCommand({ TableName: db.table, Key: seedMarkerKey(seed), ConsistentRead: true }));
  return out.Item?.seededAt as string | undefined;
}

export async function runSeed(
  seed: string,
  db: Db,
  options: {
    log?: (line: string) => void;
    force?: boolean;
    concurrency?: number;
    /** Runs these instead of the seed's own list, under the seed's name and marker (tests). */
    generators?: SeedGenerator[];
  } = {},
): Promise<SeedResult> {
  const generators = options.generators ?? SEEDS[seed];
  if (!generators) throw new Error(`unknown SEED=${seed}; use one of ${Object.keys(SEEDS).join(', ')}`);
  const started = Date.now();
  const result: SeedResult = { seed, skipped: false, seconds: 0, items: 0, summaries: {}, generatorSeconds: {} };
  if (generators.length === 0) return result;
  if (!options.force) {
    const seededAt = await isSeeded(db, seed);
    if (seededAt) return { ...result, skipped: true, seededAt };
  }
  const log = options.log ?? (() => undefined);
  const ctx: SeedContext = {
    db,
    log,
    write: async (items) => {
      result.items += items.length;
      await batchWrite(db, items, options.concurrency);
    },
  };
  for (const generator of generators) {
    const t = Date.now();
    result.summaries[generator.name] = await generator.run(ctx);
    result.generatorSeconds[generator.name] = (Date.now() - t) / 1000;
    log(`seed ${seed}: ${generator.name} done in ${result.generatorSeconds[generator.name]?.toFixed(1)} s`);
  }
  result.seconds = (Date.now() - started) / 1000;
  result.seededAt = new Date().toISOString();
  await db.doc.send(
    new PutCommand({
      TableName: db.table,
      Item: { ...seedMarkerKey(seed), entity: 'SeedMarker', v: 1, seed, seededAt: result.seededAt, items: result.items, summaries: result.summaries },
    }),
  );
  return result;
}
