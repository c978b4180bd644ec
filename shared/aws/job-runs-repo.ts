/**
 * Job run records: one item per run (`RUN#<runId>`), and on GSI1 the runs of a job by as-of date
 * then start time, newest first for the list endpoint.
 */
import { ConditionalCheckFailedException, PutCommand, UpdateCommand, unmarshall } from '@jixiao/aws-sdk';
import type { JobRun, RunSummary, SegmentRecord } from '../domain/job-run';
import { type Db, getItem, type Item, queryAll, queryPage, stripKeys } from './db';
import { keys } from './keys';

const ENTITY = 'JobRun';
const VERSION = 1;

const toItem = (run: JobRun): Item => ({
  ...keys.jobRun(run.runId),
  ...keys.jobRunIndex(run.job, run.asOf, run.startedAt),
  entity: ENTITY,
  v: VERSION,
  ...run,
});
const fromItem = (item: Item): JobRun => stripKeys<JobRun>(item);
export const shardKey = (shard: number) => String(shard).padStart(2, '0');

export function jobRunsRepo(db: Db) {
  return {
    async put(run: JobRun): Promise<void> {
      await db.doc.send(new PutCommand({ TableName: db.table, Item: toItem(run) }));
    },
    async get(runId: string): Promise<JobRun | undefined> {
      const item = await getItem(db, keys.jobRun(runId));
      return item ? fromItem(item) : undefined;
    },
    /** A shard's summary, once: the condition is that the shard has none (and the run is still running). */
    async addShard(runId: string, shard: number, summary: RunSummary): Promise<{ added: boolean; run: JobRun | undefined }> {
      try {
        const out = await db.doc.send(
          new UpdateCommand({
            TableName: db.table,
            Key: keys.jobRun(runId),
            UpdateExpression: 'SET shards.#s = :summary',
            ConditionExpression: 'attribute_exists(shards) AND attribute_not_exists(shards.#s) AND #status = :running',
            ExpressionAttributeNames: { '#s': shardKey(shard), '#status': 'status' },
            ExpressionAttributeValues: { ':summary': summary, ':running': 'running' },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { added: true, run: out.Attributes ? fromItem(out.Attributes) : undefined };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return { added: false, run: error.Item ? fromItem(unmarshall(error.Item as Parameters<typeof unmarshall>[0])) : undefined };
      }
    },
    /**
     * A segment's record, once (a conditional put keyed by run, shard and segment); when it was
     * there already, the record as first written (its continuation is what a redelivery sends again).
     */
    async addSegment(runId: string, record: SegmentRecord): Promise<{ added: boolean; record: SegmentRecord }> {
      try {
        await db.doc.send(
          new PutCommand({
            TableName: db.table,
            Item: { ...keys.jobRunSegment(runId, record.shard, record.segment), entity: 'JobRunSegment', v: VERSION, ...record },
            ConditionExpression: 'attribute_not_exists(PK)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { added: true, record };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) || !error.Item) throw error;
        return { added: false, record: stripKeys<SegmentRecord>(unmarshall(error.Item as Parameters<typeof unmarshall>[0])) };
      }
    },
    async segment(runId: string, shard: number, segment: number): Promise<SegmentRecord | undefined> {
      const item = await getItem(db, keys.jobRunSegment(runId, shard, segment));
      return item ? stripKeys<SegmentRecord>(item) : undefined;
    },
    /** A shard's segments, in order (strongly consistent). */
    async segments(runId: string, shard: number): Promise<SegmentRecord[]> {
      const items = await queryAll(db, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :seg)',
        ExpressionAttributeValues: { ':pk': keys.jobRun(runId).PK, ':seg': keys.jobRunSegmentPrefix(shard) },
        ConsistentRead: true,
      });
      return items.map((item) => stripKeys<SegmentRecord>(item));
    },
    /** A finished shard's full summary, in its own item (the same every time it is written: the sum of the same segments). */
    async putShard(runId: string, shard: number, summary: RunSummary): Promise<void> {
      await db.doc.send(
        new PutCommand({ TableName: db.table, Item: { ...keys.jobRunShard(runId, shard), entity: 'JobRunShard', v: VERSION, shard, summary } }),
      );
    },
    /** The full summaries of a run's finished shards, in shard order (strongly consistent). */
    async shardSummaries(runId: string): Promise<RunSummary[]> {
      const items = await queryAll<{ summary: RunSummary }>(db, {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :shard)',
        ExpressionAttributeValues: { ':pk': keys.jobRun(runId).PK, ':shard': keys.jobRunShardPrefix() },
        ConsistentRead: true,
      });
      return items.map((item) => item.summary);
    },
    /** Who finishes a running run (seals its emails, ends it): taken if free, expired or already this claimant's. */
    async claimFinish(runId: string, by: string, now: string, until: string): Promise<boolean> {
      try {
        await db.doc.send(
          new UpdateCommand({
            TableName: db.table,
            Key: keys.jobRun(runId),
            UpdateExpression: 'SET finisher = :by, finishUntil = :until',
            ConditionExpression: '#status = :running AND (attribute_not_exists(finisher) OR finisher = :by OR finishUntil < :now)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':by': by, ':until': until, ':now': now, ':running': 'running' },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
    /** The run ends, only from `running`: the first of two finishers wins. */
    async finish(runId: string, end: Pick<JobRun, 'status' | 'summary' | 'finishedAt' | 'error'>): Promise<boolean> {
      const values: Record<string, unknown> = { ':status': end.status, ':summary': end.summary, ':at': end.finishedAt, ':running': 'running' };
      let update = 'SET #status = :status, summary = :summary, finishedAt = :at';
      if (end.error) {
        update += ', #error = :error';
        values[':error'] = end.error;
      }
      try {
        await db.doc.send(
          new UpdateCommand({
            TableName: db.table,
            Key: keys.jobRun(runId),
            UpdateExpression: update,
            ConditionExpression: '#status = :running',
            ExpressionAttributeNames: { '#status': 'status', ...(end.error ? { '#error': 'error' } : {}) },
            ExpressionAttributeValues: values,
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
    /** The runs of a job, newest first, one page. */
    async list(job: string, limit: number, nextToken?: string): Promise<{ items: JobRun[]; nextToken?: string }> {
      const page = await queryPage(
        db,
        {
          IndexName: 'GSI1',
          KeyConditionExpression: 'GSI1PK = :pk',
          ExpressionAttributeValues: { ':pk': keys.jobRunsPartition(job) },
          ScanIndexForward: false,
        },
        limit,
        nextToken,
      );
      return { items: page.items.map(fromItem), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
    },
  };
}
