/**
 * The API (same origin locally, config.json's apiUrl deployed): one fetch wrapper that adds the token, decodes JSON and turns
 * the API's `{error:{code,message,details}}` into an ApiError. A 401 signs out.
 */
import { apiPath } from '../auth/config';
import { useSession } from '../stores/session';

export interface FieldProblem {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export async function request<T>(method: string, path: string, body?: unknown, opts: { auth?: boolean } = {}): Promise<T> {
  const session = useSession();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (opts.auth !== false && session.token) headers.authorization = `Bearer ${session.token}`;
  const res = await fetch(apiPath(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    if (res.status === 401 && opts.auth !== false) session.signOut();
    const err = (data as { error?: { code?: string; message?: string; details?: FieldProblem[] }; message?: string } | undefined) ?? {};
    throw new ApiError(res.status, err.error?.code ?? String(res.status), err.error?.message ?? err.message ?? res.statusText, err.error?.details ?? []);
  }
  return data as T;
}

export const get = <T>(path: string, query?: Query, opts?: { auth?: boolean }) => request<T>('GET', withQuery(path, query), undefined, opts);
export const post = <T>(path: string, body: unknown) => request<T>('POST', path, body);

export interface Page<T> {
  items: T[];
  nextToken?: string;
}
