/**
 * Bundling on: NodejsFunction produces exactly what esbuild produces with the shared options
 * (so bench/bundle-size.ts measures what ships), and every catalog entry bundles into an ESM
 * file that exports its handler. The full bundled synth of the stack is `npm run synth`: it
 * spawns esbuild once per function, too slow for this suite.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_FUNCTIONS, JOB_FUNCTIONS } from '../../infra/catalog';
import {
  BUNDLE_CEILING_KB,
  ESM_REQUIRE_BANNER,
  LAYER_PACKAGES,
  POWERTOOLS_VERSION,
  REPO_ROOT,
  SDK_LAYER_DIR,
  SDK_PACKAGE,
  esbuildOptions,
} from '../../infra/constructs/bundling';
import { JixiaoFunction } from '../../infra/constructs/function';
import { SDK_LAYER_CLIENTS, buildSdkLayer } from '../../infra/constructs/sdk-layer';
import { setupTable } from '../support/harness';

const entries = [...Object.entries(HTTP_FUNCTIONS), ...Object.entries(JOB_FUNCTIONS)].map(([name, spec]) => ({ name, entry: spec.entry }));
// Inside the repository, so that a bundle imported here finds the layer's packages (external to
// the bundle) in node_modules, as it finds them in /opt/nodejs/node_modules on Lambda.
mkdirSync(path.join(REPO_ROOT, 'node_modules', '.cache'), { recursive: true });
const out = mkdtempSync(path.join(REPO_ROOT, 'node_modules', '.cache', 'jixiao-synth-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

describe('NodejsFunction with our bundling', () => {
  let staged: string;
  let fn: JixiaoFunction;

  beforeAll(() => {
    // The CLI sets this context; it records each asset's staged path on its resource.
    const app = new App({
      stackTraces: false,
      builtinCloudFormationValidation: false,
      outdir: path.join(out, 'cdk.out'),
      context: { 'aws:cdk:enable-asset-metadata': true },
    });
    const stack = new Stack(app, 'Bundled', { env: { region: 'ap-southeast-1' } });
    fn = new JixiaoFunction(stack, 'Outbox', {
      entry: JOB_FUNCTIONS.outbox.entry,
      environment: { TABLE_NAME: 't' },
      bundle: true,
      logRetention: logs.RetentionDays.ONE_DAY,
    });
    const assembly = app.synth();
    const resource = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(fn.fn.node.defaultChild as never)];
    staged = path.join(assembly.directory, resource.Metadata['aws:asset:path'], 'index.mjs');
  }, 60_000);

  it('ships index.mjs with its source map, handler index.handler', () => {
    expect(fn.bundled).toBe(true);
    expect(existsSync(staged)).toBe(true);
    expect(existsSync(`${staged}.map`)).toBe(true);
    expect(fn.fn.runtime.name).toBe('nodejs22.x');
  });

  it('is byte for byte what esbuild makes with esbuildOptions()', async () => {
    const outfile = path.join(out, 'direct', 'index.mjs');
    await build(esbuildOptions(JOB_FUNCTIONS.outbox.entry, outfile));
    expect(readFileSync(staged, 'utf8')).toBe(readFileSync(outfile, 'utf8'));
  });

  it('gets the Powertools layer of the package.json version, which the bundle leaves out', () => {
    const resource = Template.fromStack(Stack.of(fn)).toJSON();
    const props = resource.Resources[Stack.of(fn).getLogicalId(fn.fn.node.defaultChild as never)].Properties;
    expect(props.Layers).toHaveLength(2);
    const ssmParams = Object.values(resource.Parameters as Record<string, { Type: string; Default: string }>);
    expect(ssmParams).toContainEqual({
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: `/aws/service/powertools/typescript/generic/all/${POWERTOOLS_VERSION}`,
    });
    const powertools = Object.entries(pkg.dependencies).filter(([name]) => name.startsWith('@aws-lambda-powertools/'));
    expect(powertools.length).toBeGreaterThanOrEqual(3);
    for (const [name, version] of powertools) expect({ name, version }).toEqual({ name, version: POWERTOOLS_VERSION });
    const code = readFileSync(staged, 'utf8');
    expect(code).toMatch(/from\s*"@aws-lambda-powertools\/logger"/);
    expect(code).not.toContain('aws-xray-sdk-core/dist');
    expect(LAYER_PACKAGES).toContain('aws-xray-sdk-core');
  });

  it('gets our SDK layer (Node 22, arm64, named by the pinned versions), which the bundle imports', () => {
    const template = Template.fromStack(Stack.of(fn));
    const layers = template.findResources('AWS::Lambda::LayerVersion');
    expect(Object.keys(layers)).toHaveLength(1);
    const [id, layer] = Object.entries(layers)[0]!;
    expect(layer.Properties.CompatibleRuntimes).toEqual(['nodejs22.x']);
    expect(layer.Properties.CompatibleArchitectures).toEqual(['arm64']);
    for (const client of SDK_LAYER_CLIENTS) expect(layer.Properties.Description).toContain(`${client.replace('@aws-sdk/', '')} ${pkg.dependencies[client]}`);
    const props = template.toJSON().Resources[Stack.of(fn).getLogicalId(fn.fn.node.defaultChild as never)].Properties;
    expect(props.Layers).toContainEqual({ Ref: id });
    const code = readFileSync(staged, 'utf8');
    expect(code).toMatch(/from\s*"@jixiao\/aws-sdk"/);
    expect(code).not.toMatch(/@smithy\/|@aws-sdk\//);
  });
});

describe('our SDK layer', () => {
  const root = path.join(out, 'sdk-layer');
  let file: string;
  beforeAll(() => {
    file = buildSdkLayer(root);
  }, 60_000);

  it('is one ESM package @jixiao/aws-sdk whose version is the pinned client-dynamodb', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, SDK_LAYER_DIR, 'package.json'), 'utf8'));
    expect(manifest).toEqual({ name: SDK_PACKAGE, type: 'module', exports: './index.mjs', version: pkg.dependencies['@aws-sdk/client-dynamodb'] });
    expect(file).toBe(path.join(root, 'nodejs', 'node_modules', '@jixiao', 'aws-sdk', 'index.mjs'));
  });

  it('stays under its ceiling and needs nothing but Node built-ins', () => {
    const code = readFileSync(file, 'utf8');
    const kb = statSync(file).size / 1024;
    expect({ kb: Math.round(kb), under: kb <= BUNDLE_CEILING_KB.sdkLayer }).toEqual({ kb: Math.round(kb), under: true });
    expect(kb).toBeGreaterThan(200);
    const imports = [...code.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*"([@\w][\w@:./-]*)"/g)].map((m) => m[1]!);
    // The one other name is in the SDK's message on how to register the CRT signer, not an import.
    expect([...new Set(imports.filter((i) => !i.startsWith('node:')))]).toEqual(['@aws-sdk/signature-v4-crt']);
    expect(code).toContain(
      'register the package by calling [require("@aws-sdk/signature-v4-crt");] or an ESM equivalent such as [import "@aws-sdk/signature-v4-crt";]',
    );
  });

  it('replaces the SDK default credential chain with the environment reader', () => {
    const code = readFileSync(file, 'utf8');
    expect(code).toContain('No AWS credentials in the environment');
    expect(code).not.toMatch(/sso-oidc|fromSSO|fromIni/);
  });

  it('loads in Node and exports the facade: one set of classes for every client', async () => {
    const sdk = await import(pathToFileURL(file).href);
    const facade = await import('../../shared/aws/sdk');
    expect(Object.keys(sdk).sort()).toEqual(Object.keys(facade).sort());
    const client = new sdk.DynamoDBClient({ region: 'ap-southeast-1' });
    const doc = sdk.DynamoDBDocumentClient.from(client);
    expect(doc).toBeInstanceOf(sdk.DynamoDBDocumentClient);
    // The DocumentClient's send goes through the DynamoDBClient's own middleware stack.
    expect(doc.config).toBe(client.config);
    expect(new sdk.SESv2Client({ region: 'ap-southeast-1' })).toBeInstanceOf(Object.getPrototypeOf(sdk.DynamoDBClient.prototype).constructor);
    expect(new sdk.LambdaClient({ region: 'ap-southeast-1' })).toBeInstanceOf(Object.getPrototypeOf(sdk.DynamoDBClient.prototype).constructor);
    expect(sdk.DynamoDBClient).not.toBe(facade.DynamoDBClient);
  });
});

describe('every catalog entry', () => {
  const built = new Map<string, string>();
  /** The files (node_modules/… or ours) each bundle is made of, from esbuild's metafile. */
  const inputs = new Map<string, string[]>();
  /** The bytes each of those files puts in the bundle. */
  const bytes = new Map<string, Record<string, number>>();

  beforeAll(async () => {
    // One esbuild run for all entries: the shared options, with one output per entry. Much
    // faster than one run per entry, which parses the AWS SDK again each time.
    const present = entries.filter(({ entry }) => existsSync(path.join(REPO_ROOT, entry)));
    const { outfile: _single, ...options } = esbuildOptions(present[0]!.entry, path.join(out, 'unused.mjs'));
    const result = await build({
      ...options,
      metafile: true,
      entryPoints: Object.fromEntries(present.map(({ name, entry }) => [`${name}/index`, path.join(REPO_ROOT, entry)])),
      outdir: path.join(out, 'entries'),
      outExtension: { '.js': '.mjs' },
    });
    for (const { name } of present) built.set(name, path.join(out, 'entries', name, 'index.mjs'));
    for (const [file, output] of Object.entries(result.metafile.outputs)) {
      const name = /entries\/([^/]+)\/index\.mjs$/.exec(file)?.[1];
      if (name) inputs.set(name, Object.keys(output.inputs));
      if (name) bytes.set(name, Object.fromEntries(Object.entries(output.inputs).map(([f, i]) => [f, i.bytesInOutput])));
    }
  }, 60_000);

  it('exists', () => {
    expect(entries.filter(({ name }) => !built.has(name)).map((e) => e.entry)).toEqual([]);
  });

  it.each(entries.map((e) => e.name))('%s bundles into an ESM file with the require banner that exports handler', (name) => {
    const code = readFileSync(built.get(name)!, 'utf8');
    expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*\bhandler\b/);
  });

  it.each(Object.keys(HTTP_FUNCTIONS))('%s stays under its ceiling (BUNDLE_CEILING_KB)', (name) => {
    const kb = statSync(built.get(name)!).size / 1024;
    const ceiling = BUNDLE_CEILING_KB.byFunction[name] ?? BUNDLE_CEILING_KB.http;
    expect({ name, kb: Math.round(kb), under: kb <= ceiling }).toEqual({ name, kb: Math.round(kb), under: true });
  });

  it.each(entries.map((e) => e.name))('%s parses with zod/mini: classic zod (about 60 KB more) is in no bundle', (name) => {
    const files = inputs.get(name) ?? [];
    expect(files.some((f) => f.includes('node_modules/zod/v4/mini/'))).toBe(true);
    expect(files.filter((f) => f.includes('node_modules/zod/v4/classic/'))).toEqual([]);
  });

  /**
   * Each entry wires only the repositories its routes reach (functions/compose.ts liveDeps),
   * so that its bundle leaves the others out. What the bundle's use cases reach is read from
   * their source: every `repos.<name>` (and `r.<name>`, the reports' alias); a Repositories
   * object is never destructured nor handed on under another name, so none is missed.
   */
  const REPOSITORY_NAMES = [...readFileSync(path.join(REPO_ROOT, 'shared/app/repositories.ts'), 'utf8').matchAll(/^ {2}(\w+)\??: /gm)].map((m) => m[1]!);
  const own = (name: string) =>
    (inputs.get(name) ?? []).filter((f) => !f.includes('node_modules') && !f.startsWith('shared/aws/') && f !== 'functions/compose.ts');
  const wiring = entries.filter(({ entry }) => readFileSync(path.join(REPO_ROOT, entry), 'utf8').includes('liveDeps('));

  const IMPORT_ONLY_BYTES = 200;

  it('reads the repositories and the entries that wire them', () => {
    expect(REPOSITORY_NAMES).toEqual(expect.arrayContaining(['departments', 'idempotency', 'targets', 'evaluationSources']));
    expect(wiring.map((e) => e.name)).toEqual(expect.arrayContaining(['departments', 'targets', 'inbox', 'jobs', 'runner']));
  });

  it.each(wiring.map((e) => e.name))('%s wires every repository its bundle reaches, and leaves the other adapters out', (name) => {
    const entry = entries.find((e) => e.name === name)!.entry;
    const source = readFileSync(path.join(REPO_ROOT, entry), 'utf8');
    const jobs = source.includes('jobRepositories') ? readFileSync(path.join(REPO_ROOT, 'functions/job-repositories.ts'), 'utf8') : '';
    const wired = [...`${source}\n${jobs}`.matchAll(/\brepo\.(\w+)\b/g)].map((m) => m[1]!);
    const reached = new Set<string>();
    for (const file of own(name)) {
      const src = readFileSync(path.join(REPO_ROOT, file), 'utf8');
      for (const key of REPOSITORY_NAMES) if (new RegExp(`\\b(?:repos|r)\\.${key}\\b`).test(src)) reached.add(key);
      // The only forms a Repositories object travels in: `deps.repos.x`, `const { repos } = ctx.deps`,
      // `const r = deps.repos`, or `deps.repos` handed to a function whose parameter is `repos`.
      const other = src.replace(
        /\brepos\.\w+|\{ repos \} = \w+(\.\w+)*;|const r = deps\.repos;|, deps\.repos,|repos: (Repositories|\{)|\brepos\b(?= [a-z])|\* .*$/gm,
        '',
      );
      expect({ file, loose: other.match(/\brepos\b/g) ?? [] }).toEqual({ file, loose: [] });
    }
    expect({ name, missing: [...reached].filter((k) => !wired.includes(k)) }).toEqual({ name, missing: [] });
    // An adapter left out still puts its hoisted `import {…} from "@jixiao/aws-sdk"` (about 50
    // bytes: an import of an external module is kept) in the bundle; its code is what counts.
    const sizes = bytes.get(name) ?? {};
    const adapters = (inputs.get(name) ?? []).filter((f) => /^shared\/aws\/.*-repo\.ts$/.test(f) && (sizes[f] ?? 0) > IMPORT_ONLY_BYTES);
    // Composite ports (exAnte, ranking, cleanup) bring a few adapters each; never all of them.
    expect(adapters.length).toBeLessThanOrEqual(wired.length + 4);
  });

  it.each(entries.map((e) => e.name))('%s carries no SDK code: it imports the SDK from our layer', (name) => {
    expect((inputs.get(name) ?? []).filter((f) => /node_modules\/@(aws-sdk|smithy)\//.test(f))).toEqual([]);
    expect(readFileSync(built.get(name)!, 'utf8')).not.toMatch(/"@(aws-sdk|smithy)\//);
  });

  it('departments answers from its bundle against DynamoDB Local, with the SDK from the layer as on Lambda', async () => {
    await setupTable();
    // The layer's package where Node looks for it from the bundles, as /opt/nodejs/node_modules on Lambda.
    const layer = path.join(out, 'layer');
    buildSdkLayer(layer);
    mkdirSync(path.join(out, 'node_modules', '@jixiao'), { recursive: true });
    symlinkSync(path.join(layer, SDK_LAYER_DIR), path.join(out, 'node_modules', '@jixiao', 'aws-sdk'));
    const code = readFileSync(built.get('departments')!, 'utf8');
    expect(/from\s*"@jixiao\/aws-sdk"/.test(code)).toBe(true);
    const mod = (await import(pathToFileURL(built.get('departments')!).href)) as {
      handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;
    };
    const invoke = (method: string, path: string, routeKey: string, body?: unknown) =>
      mod.handler(
        {
          version: '2.0',
          routeKey,
          rawPath: path,
          headers: { 'content-type': 'application/json', 'accept-language': 'en' },
          ...(body ? { body: JSON.stringify(body), isBase64Encoded: false } : {}),
          pathParameters: path.split('/')[3] ? { deptId: path.split('/')[3] } : undefined,
          requestContext: {
            requestId: `r-${method}`,
            routeKey,
            http: { method, path },
            authorizer: { jwt: { claims: { sub: 'perf-officer', roles: ['performance'] } } },
          },
        },
        { awsRequestId: `r-${method}`, functionName: 'departments', getRemainingTimeInMillis: () => 10_000 },
      );
    const put = await invoke('PUT', '/v1/departments/layer-d1', 'PUT /v1/departments/{deptId}', { name: '层测试局', contactEmails: ['a@example.gov.cn'] });
    expect(put.statusCode).toBe(201);
    const got = await invoke('GET', '/v1/departments/layer-d1', 'GET /v1/departments/{deptId}');
    expect(got.statusCode).toBe(200);
    expect(JSON.parse(got.body)).toMatchObject({ deptId: 'layer-d1', name: '层测试局', contactEmails: ['a@example.gov.cn'], version: 1 });
  });
});
