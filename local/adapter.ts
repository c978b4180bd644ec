/**
 * The local stand-in for API Gateway (HTTP API, payload 2.0): node:http in front of the real
 * Lambda handlers. It does what API Gateway does before and after a function runs:
 *
 * - matches the route of the catalog (an unknown path or a wrong method is a 404);
 * - on routes that are not public, verifies `Authorization: Bearer <jwt>` like the JWT
 *   authorizer (RS256 via JWKS, issuer, audience, exp) and answers 401 `{"message":"Unauthorized"}`
 *   itself; the verified claims go in `requestContext.authorizer.jwt.claims`, rendered as
 *   API Gateway renders them (all strings, arrays as "[a b]");
 * - refuses bodies above 10 MB with 413; answers CORS preflights;
 * - writes the function's response, decoding base64 bodies.
 *
 * It also serves the local-only routes (/local/token, JWKS, /local/emails, /local/status) and
 * the Lambda Invoke API for the job functions (lambda-emulator.ts) and SendMessageBatch of the
 * local shard queue (sqs-emulator.ts).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpResponse } from '../shared/http/response';
import { invokeHttp } from './invoke';
import type { StaticReply } from './console';
import { createLambdaEmulator, type FunctionResolver, INVOKE_PATH, type LambdaEmulator } from './lambda-emulator';
import { buildEvent, matchRoute } from './router';
import { isSqsRequest, type SqsEmulator } from './sqs-emulator';
import { apiGatewayClaims, type LocalIssuer, tokenRequestSchema } from './tokens';

/** API Gateway's payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
  'access-control-allow-headers': 'Authorization,Content-Type,Idempotency-Key',
  'access-control-expose-headers': 'Content-Disposition',
  'access-control-max-age': '600',
};

export interface AdapterOptions {
  port: number;
  host?: string;
  issuer: LocalIssuer;
  /** The SES v2 emulator, for GET /local/emails. */
  sesEndpoint?: string;
  /** Functions the Lambda Invoke API serves; the catalog's job functions by default. */
  functions?: FunctionResolver;
  /** The SQS API of the local shard queue (sqs-emulator.ts); none: fan-out is off. */
  sqs?: SqsEmulator;
  /** No request log lines. */
  quiet?: boolean;
  /**
   * Settles when the services behind the handlers (DynamoDB Local, the SES emulator) are up.
   * Until then /health, CORS preflights and the token routes answer, and every other request
   * waits for it rather than failing.
   */
  ready?: Promise<unknown>;
  /** What GET /local/status reports (seeding progress and the like). */
  status?: () => Record<string, unknown>;
  log?: (line: string) => void;
  /** The web console's files (local/console.ts): GET paths that are no API route are served from it. */
  console?: (path: string) => Promise<StaticReply | undefined>;
}

export interface Adapter {
  server: Server;
  port: number;
  url: string;
  lambda: LambdaEmulator;
  close(): Promise<void>;
}

class TooLarge extends Error {}

/** What answers before the services are up: none of it touches DynamoDB or SES. */
const UNGATED = new Set([
  'GET /health',
  'POST /local/token',
  'GET /local/status',
  'GET /local/.well-known/jwks.json',
  'GET /local/.well-known/openid-configuration',
]);

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

const jsonReply = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

export async function startAdapter(options: AdapterOptions): Promise<Adapter> {
  const log = options.log ?? ((line: string) => console.log(line));
  const lambda = createLambdaEmulator({ resolve: options.functions, log });

  const server = createServer((req, res) => {
    const started = performance.now();
    handle(req, options, lambda)
      .catch((error: unknown) => {
        log(`adapter error on ${req.method} ${req.url}: ${(error as Error)?.stack ?? String(error)}`);
        // API Gateway's answer when the integration fails.
        return jsonReply(500, { message: 'Internal Server Error' });
      })
      .then((reply) => {
        send(res, reply);
        if (!options.quiet) {
          log(`${req.method} ${req.url?.split('?')[0]} ${reply.status} ${Math.round(performance.now() - started)}ms`);
        }
      });
  });
  // A request can run a whole job synchronously: no socket timeout of our own.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://localhost:${port}`,
    lambda,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = { ...CORS_HEADERS, ...reply.headers };
  const body = reply.body === undefined ? undefined : Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body, 'utf8');
  if (body) headers['content-length'] = String(body.length);
  res.writeHead(reply.status, headers);
  res.end(body);
}

/** The request body, or TooLarge; an oversized body is drained so the client reads our 413. */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = declared > limit;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  if (tooLarge) throw new TooLarge();
  return Buffer.concat(chunks, size);
}

function headerMap(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

async function handle(req: IncomingMessage, options: AdapterOptions, lambda: LambdaEmulator): Promise<Reply> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;

  if (method === 'OPTIONS') {
    // Preflight: API Gateway answers it for every route when CORS is configured.
    await readBody(req, MAX_BODY_BYTES).catch(() => undefined);
    return { status: 204 };
  }

  let body: Buffer;
  try {
    body = await readBody(req, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof TooLarge) return jsonReply(413, { message: 'Request Entity Too Large' });
    throw error;
  }
  if (options.console && isConsolePath(method, path)) {
    const file = await options.console(path);
    if (file) return method === 'HEAD' ? { ...file, body: undefined } : file;
  }
  if (options.ready && !UNGATED.has(`${method} ${path}`)) await options.ready;

  const invoke = INVOKE_PATH.exec(path);
  if (invoke) {
    if (method !== 'POST') return jsonReply(404, { message: 'Not Found' });
    const out = await lambda.invoke(invoke[1] as string, headerMap(req), body);
    return { status: out.status, headers: out.headers, body: out.body };
  }
  if (options.sqs && isSqsRequest(method, req.headers)) {
    const out = options.sqs.handle(req.headers['x-amz-target'] as string, body);
    return { status: out.status, headers: out.headers, body: out.body };
  }
  if (path.startsWith('/local/')) return local(method, path, body, options);

  const match = matchRoute(method, path);
  if (!match || 'methodMismatch' in match) {
    return jsonReply(404, { error: { code: 'ROUTE_NOT_FOUND', message: `No route ${method} ${path}` } });
  }

  let claims: Record<string, string> | undefined;
  if (!match.entry.isPublic) {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    const payload = token ? await options.issuer.verify(token) : undefined;
    if (!payload) return jsonReply(401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer' });
    claims = apiGatewayClaims(payload);
  }

  const query: Record<string, string> = {};
  // API Gateway joins repeated query parameters with commas.
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;

  const event = buildEvent({
    method,
    path,
    query,
    headers: headerMap(req),
    body: body.length > 0 ? body : undefined,
    claims,
    match,
    requestId: randomUUID(),
  });
  const result = (await invokeHttp(match.entry.fn, event)) as HttpResponse | unknown;
  return fromLambda(result);
}

/** A GET that is no API route, no local route and no Invoke call: the console's (it needs no services). */
function isConsolePath(method: string, path: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (path.startsWith('/v1/') || path.startsWith('/local/') || INVOKE_PATH.test(path)) return false;
  return !matchRoute(method === 'HEAD' ? 'GET' : method, path);
}

/** Payload 2.0: a result without statusCode is a 200 JSON body. */
function fromLambda(result: unknown): Reply {
  if (!result || typeof result !== 'object' || !('statusCode' in result)) {
    return jsonReply(200, result ?? null);
  }
  const r = result as HttpResponse;
  const body = r.body === undefined ? undefined : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body;
  return { status: r.statusCode, headers: r.headers ?? {}, body };
}

async function local(method: string, path: string, body: Buffer, options: AdapterOptions): Promise<Reply> {
  const route = `${method} ${path.replace(/\/$/, '')}`;
  switch (route) {
    case 'POST /local/token': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8') || '{}');
      } catch {
        return jsonReply(400, { error: { code: 'INVALID_JSON', message: 'The body is not valid JSON' } });
      }
      const input = tokenRequestSchema.safeParse(parsed);
      if (!input.success) {
        const details = input.error.issues.map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message }));
        return jsonReply(400, { error: { code: 'VALIDATION_FAILED', message: 'The request is not valid', details } });
      }
      return jsonReply(200, await options.issuer.sign(input.data));
    }
    case 'GET /local/.well-known/jwks.json':
      return jsonReply(200, options.issuer.jwks());
    case 'GET /local/.well-known/openid-configuration':
      return jsonReply(200, {
        issuer: options.issuer.issuer,
        jwks_uri: `${options.issuer.issuer}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
    case 'GET /local/emails':
      return jsonReply(200, { items: await emails(options.sesEndpoint) });
    case 'GET /local/status':
      return jsonReply(200, options.status?.() ?? {});
    default:
      return jsonReply(404, { error: { code: 'ROUTE_NOT_FOUND', message: `No route ${method} ${path}` } });
  }
}

interface StoredEmail {
  messageId: string;
  from: string;
  destination?: { to?: string[]; cc?: string[]; bcc?: string[] };
  subject: string;
  body?: { text?: string; html?: string };
  at: number;
}

/** The SES emulator's store, newest first. */
export async function emails(sesEndpoint: string | undefined) {
  if (!sesEndpoint) return [];
  const res = await fetch(`${sesEndpoint}/store`);
  if (!res.ok) throw new Error(`SES emulator answered ${res.status} on /store`);
  const store = (await res.json()) as { emails?: StoredEmail[] };
  return (
    (store.emails ?? [])
      .map((e, i) => ({ e, i }))
      // `at` is in whole seconds; the store's order breaks ties.
      .sort((a, b) => b.e.at - a.e.at || b.i - a.i)
      .map(({ e }) => ({
        messageId: e.messageId,
        at: new Date(e.at * 1000).toISOString(),
        from: e.from,
        to: e.destination?.to ?? [],
        ...(e.destination?.cc?.length ? { cc: e.destination.cc } : {}),
        subject: e.subject,
        text: e.body?.text ?? null,
        html: e.body?.html ?? null,
      }))
  );
}
