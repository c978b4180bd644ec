/**
 * The OpenAPI 3.1 document, built from the routes themselves: each route's zod schemas for
 * path, query and body (as the client sends them: `io: 'input'`), its success responses (as
 * the server answers: `io: 'output'`), who may call it (`x-roles` and the bearer scheme; public
 * routes have no security) and the error envelope of shared/http/errors.ts on every status the
 * pipeline can answer. Schemas that carry `.meta({ id })` become `components.schemas`.
 * Pure: the caller (local/openapi.ts) hands over the catalog's routes and their definitions.
 */
import * as z from '../domain/zod';
import type { FileBody, ResponseSpec, RouteDef, SuccessBody } from './types';

export interface DocumentRoute {
  routeKey: string;
  method: string;
  path: string;
  /** The catalog's function name: the document's tag. */
  fn: string;
  isPublic: boolean;
  def: RouteDef;
}

type Json = Record<string, unknown>;

/** Error statuses by what the route does; every route may also answer 404 and 500. */
const ERROR_TEXT: Record<number, string> = {
  400: '请求不合法 (VALIDATION_FAILED 列出每个字段问题) · invalid request',
  401: '缺少或无效的令牌 · missing or invalid bearer token',
  403: '角色或部门无权访问 · role or department not allowed',
  404: '资源不存在 · not found',
  409: '冲突 (版本、状态、幂等键) · conflict (version, state, idempotency key)',
  413: '请求体过大 · body too large',
  500: '服务器内部错误 · internal error',
};

export const errorBodySchema = z
  .object({
    error: z.looseObject({
      code: z.string().check(z.meta({ description: 'A stable code for programs, e.g. VALIDATION_FAILED, STALE_VERSION' })),
      message: z.string().check(z.meta({ description: 'For people' })),
      details: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
    }),
  })
  .check(z.meta({ id: 'Error', description: 'The error envelope; a 409 may carry context (e.g. `version`) beside `code`.' }));

/** What GET /openapi.json answers (its own response schema). */
export const openApiDocumentSchema = z
  .looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) })
  .check(z.meta({ id: 'OpenApiDocument' }));

class Collector {
  readonly schemas: Record<string, Json> = {};

  /** JSON Schema 2020-12 of a zod schema, its `.meta({id})` parts moved to components. */
  convert(schema: z.ZodMiniType, io: 'input' | 'output'): Json {
    const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any', reused: 'inline' }) as Json;
    delete out.$schema;
    const defs = (out.$defs ?? {}) as Record<string, Json>;
    delete out.$defs;
    for (const [id, def] of Object.entries(defs)) this.add(id, rewriteRefs(def) as Json);
    return rewriteRefs(out) as Json;
  }

  private add(id: string, schema: Json): void {
    const known = this.schemas[id];
    if (known && JSON.stringify(known) !== JSON.stringify(schema)) {
      throw new Error(`Two schemas carry the id ${id}: give one of them another id (a request and a response schema cannot share one)`);
    }
    this.schemas[id] = schema;
  }
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'id') continue;
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, '#/components/schemas/') : rewriteRefs(v);
  }
  return out;
}

const isFileBody = (b: unknown): b is FileBody => !!b && typeof b === 'object' && 'files' in b;
const isSchema = (b: unknown): b is z.ZodMiniType => b instanceof z.ZodMiniType;

function successBodies(spec: ResponseSpec | undefined, method: string): [number, SuccessBody | undefined][] {
  if (spec === undefined) return [[method === 'POST' ? 201 : 200, undefined]];
  if (isSchema(spec) || isFileBody(spec)) return [[200, spec]];
  return Object.entries(spec).map(([status, body]) => [Number(status), body]);
}

function content(body: SuccessBody, c: Collector): Json {
  if (isSchema(body)) return { 'application/json': { schema: c.convert(body, 'output') } };
  const out: Json = {};
  if (body.json) out['application/json'] = { schema: c.convert(body.json, 'output') };
  for (const type of body.files) out[type] = { schema: { type: 'string', ...(type.startsWith('text/') ? {} : { contentMediaType: type }) } };
  return out;
}

function parameters(r: DocumentRoute, c: Collector): Json[] {
  const out: Json[] = [];
  const pathNames = [...r.path.matchAll(/\{(\w+)\+?\}/g)].map((m) => m[1] as string);
  const params = objectProperties(r.def.params ? c.convert(r.def.params, 'input') : {});
  for (const name of pathNames) out.push({ name, in: 'path', required: true, schema: params.props[name] ?? { type: 'string' } });
  if (r.def.query) {
    const q = objectProperties(c.convert(r.def.query, 'input'));
    for (const [name, schema] of Object.entries(q.props)) out.push({ name, in: 'query', required: q.required.includes(name), schema });
  }
  return out;
}

function objectProperties(schema: Json): { props: Record<string, Json>; required: string[] } {
  return { props: (schema.properties ?? {}) as Record<string, Json>, required: (schema.required ?? []) as string[] };
}

function errorStatuses(r: DocumentRoute): number[] {
  const out = new Set<number>([404, 500]);
  if (r.def.params || r.def.query || r.def.body || r.def.raw) out.add(400);
  if (!r.isPublic) {
    out.add(401);
    out.add(403);
  }
  if (r.method !== 'GET') {
    out.add(400);
    out.add(409);
  }
  if (r.def.body || r.def.raw) out.add(413);
  return [...out].sort();
}

function rolesOf(r: DocumentRoute): string[] {
  if (r.isPublic || r.def.access === 'public') return [];
  if (r.def.access === 'authenticated') return ['department', 'finance', 'performance', 'expert'];
  return [...r.def.access];
}

function operation(r: DocumentRoute, c: Collector): Json {
  const roles = rolesOf(r);
  const op: Json = {
    operationId: operationId(r.routeKey),
    tags: [r.fn],
    summary: r.def.summary ?? r.routeKey,
    ...(r.isPublic ? { security: [] } : { security: [{ bearer: [] }], 'x-roles': roles }),
    description: r.isPublic ? '公开,无需令牌 · public, no token' : `角色 · roles: ${roles.join(', ')}`,
  };
  const params = parameters(r, c);
  if (params.length > 0) op.parameters = params;
  if (r.def.body) op.requestBody = { required: true, content: { 'application/json': { schema: c.convert(r.def.body, 'input') } } };
  else if (r.def.raw) {
    op.requestBody = {
      required: true,
      content: Object.fromEntries(
        ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/json'].map((t) => [t, { schema: { type: 'string' } }]),
      ),
    };
  }
  const responses: Json = {};
  for (const [status, body] of successBodies(r.def.response, r.method)) {
    responses[String(status)] = { description: status === 201 ? '已创建 · created' : '成功 · OK', ...(body ? { content: content(body, c) } : {}) };
  }
  for (const status of errorStatuses(r)) responses[String(status)] = { $ref: `#/components/responses/E${status}` };
  op.responses = responses;
  if (r.def.idempotency) {
    op.parameters = [
      ...((op.parameters as Json[] | undefined) ?? []),
      { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 128 } },
    ];
  }
  return op;
}

/** `GET /v1/projects/{projectId}/target` → `getV1ProjectsProjectIdTarget`. */
export function operationId(routeKey: string): string {
  const [method, path] = routeKey.split(' ') as [string, string];
  const words = path.split(/[/{}.+-]+/).filter(Boolean);
  return method.toLowerCase() + words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('');
}

export interface DocumentInfo {
  title: string;
  version: string;
  description: string;
}

export function buildOpenApi(routes: DocumentRoute[], info: DocumentInfo): Json {
  const c = new Collector();
  const paths: Record<string, Json> = {};
  for (const r of [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))) {
    const item = (paths[r.path] ??= {});
    item[r.method.toLowerCase()] = operation(r, c);
  }
  c.convert(errorBodySchema, 'output');
  const responses = Object.fromEntries(
    Object.entries(ERROR_TEXT).map(([status, description]) => [
      `E${status}`,
      { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    ]),
  );
  const tags = [...new Set(routes.map((r) => r.fn))].sort().map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    info: { ...info, contact: { name: 'Jixiao 绩效' }, license: { name: 'UNLICENSED', identifier: 'UNLICENSED' } },
    servers: [{ url: '/', description: '同源 · same origin' }],
    tags,
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito (部署) 或 /local/token (本地) 的 ID 令牌' },
      },
      schemas: Object.fromEntries(Object.entries(c.schemas).sort(([a], [b]) => a.localeCompare(b))),
      responses,
    },
  };
}
