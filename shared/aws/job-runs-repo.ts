/**
 * Job run records: one item per run (`RUN#<runId>`), and on GSI1 the runs of a job by as-of date
 * then start time, newest first for the list endpoint.
 */
import { PutCommand } from '@jixiao/aws-sdk';
import type { JobRun } from '../domain/job-run';
import { type Db, getItem, type Item, queryPage, stripKeys } from './db';
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

export function jobRunsRepo(db: Db) {
  return {
    async put(run: JobRun): Promise<void> {
      await db.doc.send(new PutCommand({ TableName: db.table, Item: toItem(run) }));
    },
    async get(runId: string): Promise<JobRun | undefined> {
      const item = await getItem(db, keys.jobRun(runId));
      return item ? fromItem(item) : undefined;
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
