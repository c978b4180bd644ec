/**
 * The API's contract, public: `GET /openapi.json` (docs/openapi.json, written by
 * `npm run openapi` from the routes' zod schemas) and `GET /docs`, a Swagger UI reference page
 * bundled from npm (swagger-ui-dist, inlined: no CDN). The stack copies Swagger UI's two files
 * beside this function's bundle (infra/catalog.ts `files`); locally they come from node_modules.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import document from '../../docs/openapi.json' with { type: 'json' };
import { httpFunction, ok, route } from '../../shared/http/api';
import { openApiDocumentSchema } from '../../shared/http/openapi';
import { text } from '../../shared/http/response';

export const SWAGGER_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css'] as const;

function swaggerFile(name: (typeof SWAGGER_FILES)[number]): string {
  const beside = join(dirname(fileURLToPath(import.meta.url)), name);
  try {
    return readFileSync(beside, 'utf8');
  } catch {
    return readFileSync(createRequire(import.meta.url).resolve(`swagger-ui-dist/${name}`), 'utf8');
  }
}

let page: string | undefined;
function docsPage(): string {
  if (page) return page;
  // `</` cannot end the inline script early: the bundle has none today, and this keeps it so.
  const js = swaggerFile('swagger-ui-bundle.js').replaceAll('</', '<\\/');
  const css = swaggerFile('swagger-ui.css');
  page = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>绩效 API 参考 · Jixiao API reference</title><style>${css}</style></head>
<body><div id="swagger-ui"></div><script>${js}</script>
<script>window.ui = SwaggerUIBundle({ url: new URL('openapi.json', location.href).href, dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true });</script>
</body></html>`;
  return page;
}

export const handler = httpFunction({
  'GET /openapi.json': route({
    access: 'public',
    summary: 'OpenAPI 3.1 文档 · this document',
    response: openApiDocumentSchema,
    handle: async () => ok(document),
  }),
  'GET /docs': route({
    access: 'public',
    summary: 'API 参考页面 (Swagger UI) · reference page',
    response: { files: ['text/html'] },
    handle: async () => text(200, docsPage(), 'text/html; charset=utf-8'),
  }),
});
