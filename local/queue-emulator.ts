/**
 * An in-process SQS queue with a Lambda event source mapping in front of it, for the shard
 * workers of fanned-out runs (as the Lambda Invoke emulator is for the job functions). The
 * semantics the handlers rely on: at-least-once delivery; a received message is invisible for
 * `visibilityTimeoutMs` and then delivered again unless the handler finished with it (a throw
 * or a `batchItemFailures` entry leaves it to be redelivered; a handler slower than the
 * timeout sees its message delivered to another worker meanwhile); after `maxReceiveCount`
 * receives it goes to the dead-letter handler. `workers` handlers run at once, each with
 * batches of up to `batchSize`. Tests `drain()` it; `npm start` has it `listen()`: every send
 * wakes the workers, and `close()` lets the handlers running finish.
 */
import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export interface QueueOptions {
  handler: (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;
  deadLetter?: (event: SQSEvent) => Promise<void>;
  workers: number;
  batchSize?: number;
  visibilityTimeoutMs: number;
  maxReceiveCount: number;
  pollMs?: number;
  name?: string;
}

interface Message {
  id: string;
  body: string;
  receives: number;
  visibleAt: number;
  sentAt: number;
}

export function createQueueEmulator(opts: QueueOptions) {
  const queue: Message[] = [];
  const arn = `arn:aws:sqs:local:000000000000:${opts.name ?? 'shards'}`;
  let running = 0;
  let stopped = false;
  const deadLettered: string[] = [];
  const record = (m: Message): SQSRecord => ({
    messageId: m.id,
    receiptHandle: `${m.id}:${m.receives}`,
    body: m.body,
    attributes: {
      ApproximateReceiveCount: String(m.receives),
      SentTimestamp: String(m.sentAt),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(m.sentAt),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: 'local',
  });

  /** Takes the visible messages of one batch (those past maxReceiveCount go to the dead letters). */
  async function receive(): Promise<Message[]> {
    const now = Date.now();
    const batch: Message[] = [];
    for (const m of [...queue]) {
      if (batch.length >= (opts.batchSize ?? 1)) break;
      if (m.visibleAt > now) continue;
      if (m.receives >= opts.maxReceiveCount) {
        queue.splice(queue.indexOf(m), 1);
        deadLettered.push(m.body);
        await opts.deadLetter?.({ Records: [record(m)] });
        continue;
      }
      m.receives++;
      m.visibleAt = now + opts.visibilityTimeoutMs;
      batch.push(m);
    }
    return batch;
  }

  async function worker(): Promise<void> {
    while (!stopped && queue.length > 0) {
      const batch = await receive();
      if (batch.length === 0) {
        await new Promise((r) => setTimeout(r, opts.pollMs ?? 20));
        continue;
      }
      running++;
      try {
        const out = await opts.handler({ Records: batch.map(record) });
        const failed = new Set((out?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        // The handler is done with the rest: they are deleted (if a redelivery has not been received meanwhile, SQS would refuse a stale receipt).
        for (const m of batch) if (!failed.has(m.id) && queue.includes(m)) queue.splice(queue.indexOf(m), 1);
      } catch {
        // The whole batch stays, visible again when its timeout ends.
      } finally {
        running--;
      }
    }
  }

  let listening = false;
  let pumping: Promise<void> | undefined;
  /** While listening: workers run until the queue is empty, and start again with the next send. */
  function pump(): void {
    if (!listening || stopped || pumping || queue.length === 0) return;
    pumping = Promise.all(Array.from({ length: opts.workers }, worker))
      .then(() => undefined)
      .finally(() => {
        pumping = undefined;
        pump();
      });
  }

  /** Queues message bodies as they are (an SQS SendMessageBatch); returns their message ids. */
  function sendBodies(bodies: string[]): string[] {
    const now = Date.now();
    const ids = bodies.map((body) => {
      const id = randomUUID();
      queue.push({ id, body, receives: 0, visibleAt: now, sentAt: now });
      return id;
    });
    pump();
    return ids;
  }

  return {
    send(bodies: unknown[]): void {
      sendBodies(bodies.map((body) => JSON.stringify(body)));
    },
    sendBodies,
    listen(): void {
      listening = true;
      pump();
    },
    /** Stops taking messages and waits for the handlers running (what is left stays queued). */
    async close(): Promise<void> {
      stopped = true;
      await pumping;
    },
    /** Runs the workers until the queue is empty (every message handled or dead-lettered). */
    async drain(): Promise<void> {
      await Promise.all(Array.from({ length: opts.workers }, worker));
    },
    stop(): void {
      stopped = true;
    },
    get depth() {
      return queue.length;
    },
    get inFlight() {
      return running;
    },
    deadLettered,
  };
}
export type QueueEmulator = ReturnType<typeof createQueueEmulator>;
