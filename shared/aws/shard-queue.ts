/**
 * The shard queue of fanned-out runs on AWS: SQS, ten messages per SendMessageBatch, a
 * message that SQS did not take sent again (up to five rounds). Locally the same messages go
 * to the in-process emulation (local/queue-emulator.ts).
 */
import { SendMessageBatchCommand, SQSClient } from '@jixiao/aws-sdk';
import type { ShardMessage, ShardQueue } from '../domain/job-run';
import { tracer } from './tracer';

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

/**
 * The fan-out switch: the shard queue of this environment, or none. A function whose
 * environment names a queue (SHARD_QUEUE_URL: the stack sets it on the jobs API and the runner;
 * `npm start` on its local queue unless LOCAL_FANOUT=off) fans out the runs of the jobs that
 * declare `fanOut`; without one, every run is one invocation.
 */
export function liveShardQueue(env: Record<string, string | undefined> = process.env): ShardQueue | undefined {
  const url = env.SHARD_QUEUE_URL;
  return url ? sqsShardQueue(url, tracer.captureAWSv3Client(new SQSClient({}))) : undefined;
}
