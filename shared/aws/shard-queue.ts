/**
 * The shard queue of fanned-out runs on AWS: SQS, ten messages per SendMessageBatch, a
 * message that SQS did not take sent again (up to five rounds). Locally the same messages go
 * to the in-process emulation (local/queue-emulator.ts).
 */
import { SendMessageBatchCommand, SQSClient } from '@jixiao/aws-sdk';
import type { ShardMessage, ShardQueue } from '../domain/job-run';

export function sqsShardQueue(queueUrl: string, client: SQSClient = new SQSClient({})): ShardQueue {
  return {
    async send(messages: ShardMessage[]) {
      for (let i = 0; i < messages.length; i += 10) {
        let entries = messages.slice(i, i + 10).map((m) => ({ Id: `s${m.shard}`, MessageBody: JSON.stringify(m) }));
        for (let round = 0; entries.length > 0; round++) {
          if (round >= 5) throw new Error(`SQS did not take ${entries.length} shard messages`);
          const out = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
          const failed = new Set((out.Failed ?? []).map((f) => f.Id));
          entries = entries.filter((e) => failed.has(e.Id));
        }
      }
    },
  };
}
