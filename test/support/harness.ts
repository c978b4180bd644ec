/**
 * An in-process client for integration tests: requests go through the same router and event
 * builder as the local HTTP adapter, into the real handlers, against DynamoDB Local. Claims are
 * handed over as API Gateway's JWT authorizer would after verifying a token.
 */
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

export async function setupTable(): Promise<void> {
  await ensureTable(process.env.AWS_ENDPOINT_URL_DYNAMODB as string, process.env.TABLE_NAME as string);
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
  return { status: res.statusCode, body: (isJson && text ? JSON.parse(text) : text) as T, headers: res.headers ?? {} };
}
