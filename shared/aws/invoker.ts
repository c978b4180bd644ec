/**
 * Starting another function without waiting for it (the jobs API starts the runner; the runner
 * starts the email dispatcher). On AWS: Lambda's asynchronous invoke. Locally the same client
 * talks to the local adapter's Lambda emulator (AWS_ENDPOINT_URL_LAMBDA), and the test suite
 * names an in-process invoker module in JIXIAO_INVOKER_MODULE.
 */
import { InvokeCommand, LambdaClient } from '@jixiao/aws-sdk';
import { tracer } from './tracer';

export type InvokeTarget = 'runner' | 'outbox';

export interface Invoker {
  invokeAsync(target: InvokeTarget, payload: unknown): Promise<void>;
}

export function lambdaInvoker(names: Record<InvokeTarget, string | undefined>): Invoker {
  let client: LambdaClient | undefined;
  return {
    async invokeAsync(target, payload) {
      const name = names[target];
      if (!name) throw new Error(`No function name configured for ${target}`);
      client ??= tracer.captureAWSv3Client(new LambdaClient({}));
      await client.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(payload)) }));
    },
  };
}

export async function liveInvoker(): Promise<Invoker> {
  const module = process.env.JIXIAO_INVOKER_MODULE;
  if (module) {
    const loaded = (await import(/* @vite-ignore */ module)) as { invoker: Invoker };
    return loaded.invoker;
  }
  return lambdaInvoker({ runner: process.env.RUNNER_FUNCTION_NAME, outbox: process.env.OUTBOX_FUNCTION_NAME });
}
