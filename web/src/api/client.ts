/**
 * The API (same origin locally, config.json's apiUrl deployed): one fetch wrapper that adds the token, decodes JSON and turns
 * the API's `{error:{code,message,details}}` into an ApiError. A 401 signs out.
 */
import { apiPath } from '../auth/config';
import { useSession } from '../stores/session';
import type { paths } from './schema';

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
  // A file (the imports) goes as it is, with its own type; anything else as JSON.
  const file = body instanceof Blob ? body : undefined;
  if (body !== undefined) headers['content-type'] = file ? file.type || 'application/octet-stream' : 'application/json';
  if (opts.auth !== false && session.token) headers.authorization = `Bearer ${session.token}`;
  const res = await fetch(apiPath(path), { method, headers, body: file ?? (body === undefined ? undefined : JSON.stringify(body)) });
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

/**
 * The typed client: paths, parameters, bodies and answers come from the generated
 * web/src/api/schema.d.ts, e.g. `api.get('/v1/pool/{year}', { path: { year: 2020 } })`
 * answers a `Pool`. `get`/`post` above remain for views that build paths themselves.
 */

type Method = 'get' | 'put' | 'post';
type PathsWith<M extends Method> = { [P in keyof paths]: paths[P][M] extends { responses: unknown } ? P : never }[keyof paths];
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
export type Answer<P extends keyof paths, M extends Method> =
  Op<P, M> extends { responses: infer R } ? { [K in keyof R]: K extends 200 | 201 | 202 ? JsonOf<R[K]> : never }[keyof R] : never;
type Params<O> = (O extends { parameters: { path: infer PP } } ? ([PP] extends [never] ? unknown : { path: PP }) : unknown) &
  (O extends { parameters: { query?: infer Q } } ? ([Q] extends [never | undefined] ? unknown : { query?: Q }) : unknown);
type BodyOf<O> = O extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
/** A route without a body (a publish, a submit) is posted without one. */
type BodyArg<O> = [BodyOf<O>] extends [never] ? { body?: undefined } : { body: BodyOf<O> };
/** The routes that take a file (CSV or XLSX): the imports. */
type FilePaths = { [P in PathsWith<'post'>]: Op<P, 'post'> extends { requestBody: { content: { 'text/csv': unknown } } } ? P : never }[PathsWith<'post'>];

function fill(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(values[name])));
}

type Args<O> = Params<O> & { auth?: boolean };
const pathOf = (template: string, args: { path?: Record<string, string | number>; query?: Query }) => withQuery(fill(template, args.path), args.query);

export const api = {
  get: <P extends PathsWith<'get'>>(path: P, args: Args<Op<P, 'get'>>) =>
    request<Answer<P, 'get'>>('GET', pathOf(path, args as never), undefined, { auth: (args as { auth?: boolean }).auth }),
  post: <P extends PathsWith<'post'>>(path: P, args: Args<Op<P, 'post'>> & BodyArg<Op<P, 'post'>>) =>
    request<Answer<P, 'post'>>('POST', pathOf(path, args as never), args.body),
  /** A CSV or XLSX file as the request's body, with its own content type. */
  upload: <P extends FilePaths>(path: P, args: Args<Op<P, 'post'>> & { file: Blob }) =>
    request<Answer<P, 'post'>>('POST', pathOf(path, args as never), args.file),
  put: <P extends PathsWith<'put'>>(path: P, args: Args<Op<P, 'put'>> & { body: BodyOf<Op<P, 'put'>> }) =>
    request<Answer<P, 'put'>>('PUT', pathOf(path, args as never), args.body),
};
