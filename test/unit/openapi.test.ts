/**
 * The contract holds for every route of the catalog, including routes added later: each is in
 * the document with its roles and a documented success body, the committed document and the
 * console's generated types are what `npm run openapi` writes today, and the stack's function
 * serves both the document and the reference page without a token.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../infra/catalog';
import { buildDocument, DOCUMENT_FILE, documentText, WEB_TYPES_FILE, webTypesText } from '../../local/openapi';
import { call } from '../support/harness';

type Op = { security?: unknown[]; 'x-roles'?: string[]; responses: Record<string, { content?: Record<string, unknown> }> };
let doc: { paths: Record<string, Record<string, Op>>; components: { schemas: Record<string, unknown> } };

beforeAll(async () => {
  doc = (await buildDocument()) as typeof doc;
}, 60_000);

describe('the OpenAPI document', () => {
  it('has every catalog route, public ones without security and the others with their roles', () => {
    const missing = allRoutes().filter((r) => !doc.paths[r.path]?.[r.method.toLowerCase()]);
    expect(missing.map((r) => r.routeKey)).toEqual([]);
    const ops = Object.values(doc.paths).flatMap((item) => Object.values(item));
    expect(ops).toHaveLength(allRoutes().length);
    for (const r of allRoutes()) {
      const op = doc.paths[r.path]?.[r.method.toLowerCase()] as Op;
      if (r.isPublic) expect(op.security, r.routeKey).toEqual([]);
      else {
        expect(op.security, r.routeKey).toEqual([{ bearer: [] }]);
        expect(op['x-roles']?.length, r.routeKey).toBeGreaterThan(0);
        expect(Object.keys(op.responses), r.routeKey).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
    expect(doc.paths['/v1/projects']?.post?.['x-roles']).toEqual(['department', 'performance']);
  });

  it('documents a success body for every route (add `response:` to the route)', () => {
    const bare = allRoutes().filter((r) => {
      const op = doc.paths[r.path]?.[r.method.toLowerCase()] as Op;
      return !Object.entries(op.responses).some(([status, res]) => status.startsWith('2') && res.content);
    });
    expect(bare.map((r) => r.routeKey)).toEqual([]);
  });

  it('is committed as npm run openapi writes it, and so are the console types', async () => {
    expect(readFileSync(DOCUMENT_FILE, 'utf8') === documentText(doc), 'docs/openapi.json is stale: run npm run openapi').toBe(true);
    expect(readFileSync(WEB_TYPES_FILE, 'utf8') === (await webTypesText(doc)), 'web/src/api/schema.d.ts is stale: run npm run openapi').toBe(true);
  }, 30_000);

  it('is served at /openapi.json and as a Swagger UI page at /docs, without a token', async () => {
    const json = await call(null, 'GET', '/openapi.json');
    expect(json.status).toBe(200);
    expect(json.body.openapi).toBe('3.1.0');
    expect(Object.keys(json.body.paths)).toHaveLength(Object.keys(doc.paths).length);
    const page = await call(null, 'GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('SwaggerUIBundle');
    expect(page.body).not.toMatch(/<script[^>]+src=/);
    expect(page.body.length).toBeGreaterThan(1_000_000);
  });
});
