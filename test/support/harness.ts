/**
 * An in-process client for integration tests: requests go through the same router and event
 * builder as the local HTTP adapter, into the real handlers, against DynamoDB Local. Claims are
 * handed over as API Gateway's JWT authorizer would after verifying a token.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { ensureTable } from '../../local/services';
import { invokeHttp } from '../../local/invoke';
import { buildEvent, matchRoute } from '../../local/router';

export interface Caller {
  sub: string;
  roles: string[];
  deptId?: string;
}

export const performance: Caller = { sub: 'perf-officer', roles: ['performance'] };
export const finance: Caller = { sub: 'finance-officer', roles: ['finance'] };
export const expert: Caller = { sub: 'expert-1', roles: ['expert'] };
export const dept = (deptId: string): Caller => ({ sub: `officer-${deptId}`, roles: ['department'], deptId });

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Record<string, string>;
}

/** The test table; with `stream: true` (the outbox stream's tests) also its stream. */
export async function setupTable(opts: { stream?: boolean } = {}): Promise<void> {
  await ensureTable(process.env.AWS_ENDPOINT_URL_DYNAMODB as string, process.env.TABLE_NAME as string, { stream: opts.stream ?? false });
}

export async function call<T = any>(
  caller: Caller | null,
  method: string,
  pathWithQuery: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Res<T>> {
  const url = new URL(pathWithQuery, 'http://local');
  const match = matchRoute(method, url.pathname);
  if (!match || 'methodMismatch' in match) return { status: 404, body: { error: { code: 'ROUTE_NOT_FOUND' } } as T, headers: {} };
  const raw = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const event = buildEvent({
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    // English unless a test asks otherwise: the suite's assertions read the English words (a 400 is Chinese by default).
    headers: { 'content-type': 'application/json', 'accept-language': 'en', ...headers },
    body: raw,
    claims: caller ? { sub: caller.sub, roles: caller.roles, ...(caller.deptId ? { deptId: caller.deptId } : {}) } : undefined,
    match,
  });
  const res = await invokeHttp(match.entry.fn, event);
  const text = res.isBase64Encoded ? Buffer.from(res.body ?? '', 'base64').toString('latin1') : (res.body ?? '');
  const isJson = (res.headers?.['content-type'] ?? '').includes('json');
  const out = { status: res.statusCode, body: (isJson && text ? JSON.parse(text) : text) as T, headers: res.headers ?? {} };
  conformsToContract(match.entry.routeKey, out);
  return out;
}

/**
 * Every response an integration test receives must be one that docs/openapi.json documents
 * for its route: the status, the media type and (for JSON) the body against the schema.
 * The document is compiled once per worker, each response schema on first use.
 */
let contract: { doc: OpenApiDoc; ajv: Ajv2020; compiled: Map<string, ValidateFunction> } | undefined;
interface OpenApiDoc {
  paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> }>>;
  components: { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
}

export function conformsToContract(routeKey: string, res: Res): void {
  if (!contract) {
    const doc = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as OpenApiDoc;
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema(doc as object, 'openapi.json');
    contract = { doc, ajv, compiled: new Map() };
  }
  const [method, path] = routeKey.split(' ') as [string, string];
  const fail = (why: string): Error => {
    const body = JSON.stringify(res.body)?.slice(0, 600);
    return new Error(`${routeKey} answered ${res.status} ${why}\n  body: ${body}\n  (docs/openapi.json; after changing a schema run npm run openapi)`);
  };
  const op = contract.doc.paths[path]?.[method.toLowerCase()];
  if (!op) throw fail('but docs/openapi.json has no such operation');
  let response = op.responses[String(res.status)];
  if (!response) throw fail(`but only ${Object.keys(op.responses).join(', ')} are documented`);
  let pointer = `openapi.json#/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1')}/${method.toLowerCase()}/responses/${res.status}`;
  if (response.$ref) {
    const name = response.$ref.split('/').pop() as string;
    response = contract.doc.components.responses[name] as typeof response;
    pointer = `openapi.json#/components/responses/${name}`;
  }
  const type = (res.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  const content = response.content ?? {};
  if (!type && Object.keys(content).length === 0) return;
  if (!(type in content)) throw fail(`with ${type || 'no content type'}, documented: ${Object.keys(content).join(', ') || 'no body'}`);
  if (type !== 'application/json') return;
  const key = `${pointer}/content/application~1json/schema`;
  let validate = contract.compiled.get(key);
  if (!validate) {
    validate = contract.ajv.compile({ $ref: key });
    contract.compiled.set(key, validate);
  }
  if (!validate(res.body)) {
    const problems = (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
    throw fail(`a body that does not match its schema:\n  - ${problems.join('\n  - ')}`);
  }
}
