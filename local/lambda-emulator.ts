/**
 * The Lambda Invoke API, as much of it as @aws-sdk/client-lambda's InvokeCommand uses:
 * `POST /2015-03-31/functions/{name}/invocations`. With AWS_ENDPOINT_URL_LAMBDA pointing at
 * the local server, code that invokes the job functions through the real client (the jobs API
 * starting a run asynchronously) works unchanged on a laptop.
 *
 * - `X-Amz-Invocation-Type: Event`: 202 at once, the handler runs in the background.
 * - `RequestResponse` (default): 200 with the handler's result as the payload; a throw gives
 *   200 with `X-Amz-Function-Error: Unhandled` and the error as JSON, as Lambda does.
 * - `DryRun`: 204.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { JOB_FUNCTIONS, type JobFunctionSpec } from '../infra/catalog';
import { lambdaContext, loadHandler } from './invoke';

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;
/** The handler of a function name, or undefined when there is no such function. */
export type FunctionResolver = (name: string) => Promise<LambdaHandler | undefined> | LambdaHandler | undefined;

export const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;

/** The job functions of the catalog, loaded from their entry files on first use. */
export const jobFunctions: FunctionResolver = (name) => {
  if (!Object.hasOwn(JOB_FUNCTIONS, name)) return undefined;
  const spec: JobFunctionSpec = JOB_FUNCTIONS[name as keyof typeof JOB_FUNCTIONS];
  return loadHandler(spec.entry, spec.handler);
};

export interface InvokeResult {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** `runner`, an ARN (`arn:aws:lambda:r:a:function:runner[:qualifier]`) or `a:function:runner`: the name. */
export function functionNameOf(raw: string): string {
  const name = decodeURIComponent(raw);
  const at = name.indexOf(':function:');
  return at >= 0 ? (name.slice(at + ':function:'.length).split(':')[0] as string) : (name.split(':')[0] as string);
}

export function createLambdaEmulator(options: { resolve?: FunctionResolver; log?: (line: string) => void } = {}) {
  const resolve = options.resolve ?? jobFunctions;
  const log = options.log ?? ((line: string) => console.error(line));
  const background = new Set<Promise<void>>();

  async function invoke(rawName: string, headers: Record<string, string | undefined>, body: Buffer): Promise<InvokeResult> {
    const name = functionNameOf(rawName);
    const requestId = randomUUID();
    const base = { 'x-amzn-requestid': requestId, 'content-type': 'application/json' };
    const arn = `arn:aws:lambda:local:000000000000:function:${name}`;

    let event: unknown = {};
    const text = body.toString('utf8');
    if (text.trim() !== '') {
      try {
        event = JSON.parse(text);
      } catch {
        return userError(400, 'InvalidRequestContentException', 'Could not parse request body into json', base);
      }
    }

    let handler: LambdaHandler | undefined;
    let loadError: unknown;
    try {
      handler = await resolve(name);
      if (!handler) return userError(404, 'ResourceNotFoundException', `Function not found: ${arn}`, base);
    } catch (error) {
      // Lambda reports a module that fails to load as the function's own error.
      loadError = error;
    }
    const run = async (): Promise<unknown> => {
      if (loadError) throw Object.assign(new Error(messageOf(loadError)), { name: 'Runtime.ImportModuleError' });
      const timeoutSeconds = Object.hasOwn(JOB_FUNCTIONS, name) ? JOB_FUNCTIONS[name as keyof typeof JOB_FUNCTIONS].timeoutSeconds : 30;
      return (handler as LambdaHandler)(event, lambdaContext(name, requestId, timeoutSeconds * 1000));
    };

    const type = (headers['x-amz-invocation-type'] ?? 'RequestResponse').trim();
    if (type === 'DryRun') return { status: 204, headers: base, body: '' };
    if (type === 'Event') {
      const started = Date.now();
      const task = run()
        .then(() => log(`lambda ${name} (Event) done in ${Date.now() - started} ms`))
        .catch((error: unknown) => log(`lambda ${name} (Event) failed: ${(error as Error)?.stack ?? messageOf(error)}`))
        .finally(() => background.delete(task));
      background.add(task);
      return { status: 202, headers: base, body: '' };
    }
    if (type !== 'RequestResponse') {
      return userError(400, 'InvalidParameterValueException', `Unknown invocation type ${type}`, base);
    }
    try {
      const result = await run();
      return { status: 200, headers: { ...base, 'x-amz-executed-version': '$LATEST' }, body: JSON.stringify(result ?? null) };
    } catch (error) {
      const e = error as Error;
      log(`lambda ${name} failed: ${e?.stack ?? messageOf(error)}`);
      return {
        status: 200,
        headers: { ...base, 'x-amz-executed-version': '$LATEST', 'x-amz-function-error': 'Unhandled' },
        body: JSON.stringify({ errorType: e?.name ?? 'Error', errorMessage: messageOf(error), trace: (e?.stack ?? '').split('\n') }),
      };
    }
  }

  return {
    invoke,
    /** Invocations still running in the background. */
    get inFlight() {
      return background.size;
    },
    /** Waits for the background invocations (tests, shutdown). */
    async drain(): Promise<void> {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
  };
}
export type LambdaEmulator = ReturnType<typeof createLambdaEmulator>;

function userError(status: number, type: string, message: string, headers: Record<string, string>): InvokeResult {
  return { status, headers: { ...headers, 'x-amzn-errortype': type }, body: JSON.stringify({ Type: 'User', message }) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
