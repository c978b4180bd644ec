/**
 * The outbox by stream: a new email item on the table's stream is sent at once, by the outbox
 * function behind an event source mapping (infra/constructs/outbox-stream.ts) or, locally, by
 * the stream reader (local/stream-reader.ts). Both take their filter and retry settings from
 * OUTBOX_STREAM below, so what is deployed and what runs on a laptop cannot drift.
 *
 * The stream sends each email's first attempt only; a send that fails is backed off in the
 * item and left to the scheduled dispatcher (dispatchPending), the backstop for retries. A
 * record seen twice, or an email the dispatcher already holds or sent, is skipped by the claim.
 */
import type { AttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { Db } from './db';
import type { Mailer } from './mailer';
import { claimMail, type Delivery, deliver } from './outbox';

/** The event source mapping's settings, shared with the local reader. */
export const OUTBOX_STREAM = {
  /** Lambda event filter: only the INSERT of an email item reaches the function. */
  filter: { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['Mail'] } } } },
  /** An email item is at most ~300 KB (MAIL_PART_BYTES): 10 stay under Lambda's 6 MB payload. */
  batchSize: 10,
  /** Retries of a failed batch (halved each time, bisectBatchOnError) before the DLQ. */
  retryAttempts: 3,
  bisectBatchOnError: true,
  /** Records older than this go to the DLQ untried: the dispatcher has sent them by then. */
  maxRecordAgeSeconds: 3600,
  /** Emails sent at once within one batch. */
  concurrency: 4,
} as const;

export type FilterPattern = { readonly [key: string]: readonly (string | number | boolean)[] | FilterPattern };

/** Lambda's filter matching for the patterns used here: exact values in arrays, nested objects. */
export function matchesFilter(pattern: FilterPattern, value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(pattern).every(([key, want]) => {
    const got = (value as Record<string, unknown>)[key];
    return Array.isArray(want) ? want.includes(got as never) : matchesFilter(want as FilterPattern, got);
  });
}

export function isStreamEvent(event: unknown): event is DynamoDBStreamEvent {
  const records = (event as { Records?: unknown })?.Records;
  return Array.isArray(records) && records.every((r) => (r as DynamoDBRecord)?.eventSource === 'aws:dynamodb');
}

export interface StreamDispatchResult {
  sent: number;
  retried: number;
  failed: number;
  /** Records whose email was already sent, held or tried (duplicates, the dispatcher's share), or that are not emails. */
  skipped: number;
  response: DynamoDBBatchResponse;
}

const mailIdOf = (record: DynamoDBRecord): string | undefined => (record.dynamodb?.NewImage?.mailId as AttributeValue | undefined)?.S;

/**
 * Sends the emails of a batch of stream records. A record whose handling throws (DynamoDB
 * unavailable) is reported in batchItemFailures, so Lambda retries from it; a send that fails
 * is not a record failure (it is backed off for the dispatcher).
 */
export async function dispatchStream(db: Db, mailer: Mailer, event: DynamoDBStreamEvent, now: () => Date): Promise<StreamDispatchResult> {
  const result: StreamDispatchResult = { sent: 0, retried: 0, failed: 0, skipped: 0, response: { batchItemFailures: [] } };
  const failures = new Set<string>();
  const queue = [...event.Records];
  const one = async (record: DynamoDBRecord): Promise<Delivery | 'skipped'> => {
    const id = mailIdOf(record);
    if (!id || record.eventName !== 'INSERT') return 'skipped';
    const mail = await claimMail(db, id, now(), { firstAttemptOnly: true });
    return mail ? deliver(db, mailer, mail, now) : 'skipped';
  };
  const worker = async () => {
    for (let record = queue.shift(); record; record = queue.shift()) {
      try {
        result[await one(record)]++;
      } catch {
        failures.add(record.dynamodb?.SequenceNumber ?? record.eventID ?? '');
      }
    }
  };
  await Promise.all(Array.from({ length: OUTBOX_STREAM.concurrency }, worker));
  // In stream order: Lambda retries from the first one reported.
  result.response.batchItemFailures = event.Records.map((r) => r.dynamodb?.SequenceNumber ?? r.eventID ?? '')
    .filter((id) => failures.has(id))
    .map((itemIdentifier) => ({ itemIdentifier }));
  return result;
}
