/** Calls the very handler modules the stack deploys, with a Lambda-like context. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { HTTP_FUNCTIONS, type HttpFunctionName } from '../infra/catalog';
import type { HttpResponse } from '../shared/http/response';

type Handler = (event: unknown, context: Context) => Promise<unknown>;
const loaded = new Map<string, Promise<Handler>>();
const ROOT = resolve(import.meta.dirname, '..');

/** The entry's handler, or the export Lambda would call instead (infra/catalog.ts `handler`). */
export function loadHandler(entry: string, name = 'handler'): Promise<Handler> {
  const key = `${entry}#${name}`;
  let p = loaded.get(key);
  if (!p) {
    p = import(pathToFileURL(resolve(ROOT, entry)).href).then((m: Record<string, Handler>) => {
      const handler = m[name];
      if (typeof handler !== 'function') throw new Error(`${entry} exports no function ${name}`);
      return handler;
    });
    loaded.set(key, p);
  }
  return p;
}

/** A context whose remaining time counts down from the function's timeout, as Lambda's does. */
export function lambdaContext(functionName: string, requestId: string, timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export async function invokeHttp(fn: HttpFunctionName, event: { requestContext: { requestId: string } }): Promise<HttpResponse> {
  const handler = await loadHandler(HTTP_FUNCTIONS[fn].entry);
  return (await handler(event, lambdaContext(fn, event.requestContext.requestId))) as HttpResponse;
}
