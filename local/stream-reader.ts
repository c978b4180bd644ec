/**
 * The table's stream, read locally as Lambda's event source mapping reads it in AWS: DynamoDB
 * Local's stream through the real @aws-sdk/client-dynamodb-streams client (DescribeStream,
 * GetShardIterator, GetRecords), every shard, a child only after its parent is read to its end.
 * The records that pass the mapping's filter (OUTBOX_STREAM) go to the handler in batches as
 * DynamoDBStreamEvents. As the mapping does: a batch whose invocation throws is halved and
 * retried (bisect on error), a batch answered with batchItemFailures is retried from the first
 * record named, and after `retryAttempts` the records go to the on-failure destination (here a
 * log line and a count in stats; the email stays pending for the dispatcher).
 *
 * Restart: where each shard was read to is kept in `checkpointFile` (with a persisted
 * DATA_DIR), so a restart goes on from there; a shard it has no position for is read from its
 * start (TRIM_HORIZON). Records seen again are harmless: the handler claims each email once.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type AttributeValue as StreamValue,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type FilterPattern, matchesFilter, OUTBOX_STREAM } from '../shared/aws/outbox-stream';
import { lambdaContext } from './invoke';
import { LOCAL_CREDENTIALS } from './services';

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | undefined | unknown>;

export interface StreamReaderOptions {
  endpoint: string;
  table: string;
  handler: StreamHandler;
  /** The function's name in logs and its context. */
  functionName?: string;
  /** Wait between empty reads of a shard [200 ms]. */
  pollMs?: number;
  /** Wait before a retry, doubled each time [100 ms]. */
  retryDelayMs?: number;
  /** Where the shards' positions are kept across restarts; none: kept in memory. */
  checkpointFile?: string;
  settings?: { filter: FilterPattern; batchSize: number; retryAttempts: number; bisectBatchOnError: boolean };
  log?: (line: string) => void;
}

export interface StreamReaderStats {
  streamArn?: string;
  shards: number;
  records: number;
  matched: number;
  invocations: number;
  errors: number;
  retried: number;
  deadLettered: number;
}

interface Checkpoint {
  streamArn?: string;
  /** The last sequence number handled, per shard. */
  positions: Record<string, string>;
  /** Shards read to their end. */
  closed: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref?.());
const nameOf = (error: unknown) => (error as Error)?.name ?? '';

/** The SDK's attribute value as Lambda's JSON event has it (binary as base64). */
function toLambdaValue(v: StreamValue): AttributeValue {
  if (v.B) return { B: Buffer.from(v.B).toString('base64') };
  if (v.BS) return { BS: v.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (v.M) return { M: toLambdaImage(v.M) as Record<string, AttributeValue> };
  if (v.L) return { L: v.L.map(toLambdaValue) };
  return v as AttributeValue;
}
const toLambdaImage = (image?: Record<string, StreamValue>) => image && Object.fromEntries(Object.entries(image).map(([k, v]) => [k, toLambdaValue(v)]));

/** A GetRecords record as Lambda hands it to a function (DynamoDBRecord). */
export function toLambdaRecord(r: StreamRecord, streamArn: string): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  const at = d.ApproximateCreationDateTime;
  return {
    eventID: r.eventID,
    eventName: r.eventName as DynamoDBRecord['eventName'],
    eventVersion: r.eventVersion,
    eventSource: r.eventSource ?? 'aws:dynamodb',
    awsRegion: r.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: at ? Math.floor(new Date(at).getTime() / 1000) : undefined,
      Keys: toLambdaImage(d.Keys),
      NewImage: toLambdaImage(d.NewImage),
      OldImage: toLambdaImage(d.OldImage),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType as NonNullable<DynamoDBRecord['dynamodb']>['StreamViewType'],
    },
  };
}

export function startStreamReader(options: StreamReaderOptions) {
  const settings = options.settings ?? OUTBOX_STREAM;
  const pollMs = options.pollMs ?? 200;
  const retryDelayMs = options.retryDelayMs ?? 100;
  const functionName = options.functionName ?? 'outbox';
  const log = options.log ?? ((line: string) => console.error(line));
  const config = { endpoint: options.endpoint, region: 'local', credentials: LOCAL_CREDENTIALS };
  const ddb = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  const stats: StreamReaderStats = { shards: 0, records: 0, matched: 0, invocations: 0, errors: 0, retried: 0, deadLettered: 0 };
  const checkpoint = loadCheckpoint(options.checkpointFile);
  const running = new Map<string, Promise<void>>();
  let known: Shard[] = [];
  let stopped = false;
  let wake: (() => void) | undefined;
  let lastError = '';

  const complain = (what: string, error: unknown) => {
    const line = `stream reader: ${what}: ${nameOf(error)} ${(error as Error)?.message ?? error}`;
    if (line !== lastError) log(line);
    lastError = line;
  };

  function save(): void {
    if (!options.checkpointFile) return;
    const tmp = `${options.checkpointFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(checkpoint));
    renameSync(tmp, options.checkpointFile);
  }

  /** The table's current stream and its shards; a new stream (table made again) starts afresh. */
  async function discover(): Promise<void> {
    const table = await ddb.send(new DescribeTableCommand({ TableName: options.table }));
    const arn = table.Table?.LatestStreamArn;
    if (!arn) throw new Error(`table ${options.table} has no stream`);
    if (checkpoint.streamArn !== arn) Object.assign(checkpoint, { streamArn: arn, positions: {}, closed: [] });
    stats.streamArn = arn;
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await streams.send(new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: start }));
      shards.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    known = shards;
    stats.shards = shards.length;
    const ids = new Set(shards.map((s) => s.ShardId));
    for (const shard of shards) {
      const id = shard.ShardId as string;
      if (running.has(id) || checkpoint.closed.includes(id)) continue;
      // A child waits for its parent to be read to its end, so records stay in order.
      const parent = shard.ParentShardId;
      if (parent && ids.has(parent) && !checkpoint.closed.includes(parent)) continue;
      const task = readShard(arn, id).finally(() => running.delete(id));
      running.set(id, task);
    }
  }

  async function iterator(arn: string, shardId: string): Promise<string | undefined> {
    const after = checkpoint.positions[shardId];
    const type: ShardIteratorType = after ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON';
    try {
      const out = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: after }));
      return out.ShardIterator;
    } catch (error) {
      if (nameOf(error) !== 'TrimmedDataAccessException' || !after) throw error;
      delete checkpoint.positions[shardId];
      return iterator(arn, shardId);
    }
  }

  async function readShard(arn: string, shardId: string): Promise<void> {
    let it: string | undefined;
    while (!stopped && checkpoint.streamArn === arn) {
      try {
        it ??= await iterator(arn, shardId);
        if (!it) return close(shardId);
        const out = await streams.send(new GetRecordsCommand({ ShardIterator: it, Limit: 1000 }));
        const records = out.Records ?? [];
        await handle(records.map((r) => toLambdaRecord(r, arn)));
        const last = records.at(-1)?.dynamodb?.SequenceNumber;
        if (last) {
          checkpoint.positions[shardId] = last;
          save();
        }
        it = out.NextShardIterator;
        if (!it) return close(shardId);
        if (records.length === 0) await sleep(pollMs);
        lastError = '';
      } catch (error) {
        // An expired or lost iterator (or DynamoDB Local restarting): start again from the checkpoint.
        complain(`shard ${shardId}`, error);
        it = undefined;
        await sleep(1000);
      }
    }
  }

  function close(shardId: string): void {
    if (!checkpoint.closed.includes(shardId)) checkpoint.closed.push(shardId);
    save();
    wake?.();
  }

  /** The records of one read that pass the filter, in batches, each until done or dead-lettered. */
  async function handle(records: DynamoDBRecord[]): Promise<void> {
    stats.records += records.length;
    const matched = records.filter((r) => matchesFilter(settings.filter, r));
    stats.matched += matched.length;
    for (let i = 0; i < matched.length; i += settings.batchSize) await invoke(matched.slice(i, i + settings.batchSize), 0);
  }

  async function invoke(batch: DynamoDBRecord[], attempt: number): Promise<void> {
    if (stopped || batch.length === 0) return;
    stats.invocations++;
    let failedFrom = 0;
    try {
      const response = (await options.handler({ Records: batch }, lambdaContext(functionName, randomUUID()))) as DynamoDBBatchResponse | undefined;
      const named = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      if (named.size === 0) return;
      failedFrom = batch.findIndex((r) => named.has(r.dynamodb?.SequenceNumber as string));
      // An identifier that names no record fails the whole batch, as Lambda does.
      if (failedFrom < 0) failedFrom = 0;
    } catch (error) {
      stats.errors++;
      complain(`${functionName} failed on ${batch.length} records`, error);
      if (attempt < settings.retryAttempts && settings.bisectBatchOnError && batch.length > 1) {
        stats.retried++;
        await sleep(retryDelayMs * 2 ** attempt);
        const half = Math.ceil(batch.length / 2);
        await invoke(batch.slice(0, half), attempt + 1);
        return invoke(batch.slice(half), attempt + 1);
      }
    }
    const rest = batch.slice(failedFrom);
    if (attempt >= settings.retryAttempts) {
      stats.deadLettered += rest.length;
      log(`stream reader: ${rest.length} records to the on-failure destination after ${attempt + 1} attempts (from ${rest[0]?.dynamodb?.SequenceNumber})`);
      return;
    }
    stats.retried++;
    await sleep(retryDelayMs * 2 ** attempt);
    return invoke(rest, attempt + 1);
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        await discover();
      } catch (error) {
        complain('describing the stream', error);
      }
      // Rediscover now and then (new shards), at once when a shard closed.
      await new Promise<void>((done) => {
        wake = done;
        setTimeout(done, 2000).unref?.();
      });
    }
  })();

  return {
    stats: (): StreamReaderStats => ({ ...stats }),
    shards: () => known.map((s) => s.ShardId as string),
    /** Stops reading; a batch being handled finishes first. */
    async stop(): Promise<void> {
      stopped = true;
      wake?.();
      await loop;
      await Promise.allSettled([...running.values()]);
      ddb.destroy();
      streams.destroy();
    },
  };
}
export type StreamReader = ReturnType<typeof startStreamReader>;

function loadCheckpoint(file: string | undefined): Checkpoint {
  if (file && existsSync(file)) {
    try {
      const c = JSON.parse(readFileSync(file, 'utf8')) as Checkpoint;
      return { streamArn: c.streamArn, positions: c.positions ?? {}, closed: c.closed ?? [] };
    } catch {
      // A torn file: read every shard from its start; the handler skips what it has sent.
    }
  }
  return { positions: {}, closed: [] };
}
