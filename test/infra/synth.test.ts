/**
 * Bundling on: NodejsFunction produces exactly what esbuild produces with the shared options
 * (so bench/bundle-size.ts measures what ships), and every catalog entry bundles into an ESM
 * file that exports its handler. The full bundled synth of the stack is `npm run synth`: it
 * spawns esbuild once per function, too slow for this suite.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_FUNCTIONS, JOB_FUNCTIONS } from '../../infra/catalog';
import { BUNDLE_CEILING_KB, ESM_REQUIRE_BANNER, LAYER_PACKAGES, POWERTOOLS_VERSION, REPO_ROOT, esbuildOptions } from '../../infra/constructs/bundling';
import { JixiaoFunction } from '../../infra/constructs/function';

const entries = [...Object.entries(HTTP_FUNCTIONS), ...Object.entries(JOB_FUNCTIONS)].map(([name, spec]) => ({ name, entry: spec.entry }));
// Inside the repository, so that a bundle imported here finds the layer's packages (external to
// the bundle) in node_modules, as it finds them in /opt/nodejs/node_modules on Lambda.
mkdirSync(path.join(REPO_ROOT, 'node_modules', '.cache'), { recursive: true });
const out = mkdtempSync(path.join(REPO_ROOT, 'node_modules', '.cache', 'jixiao-synth-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

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
    expect(props.Layers).toHaveLength(1);
    const ssmParams = Object.values(resource.Parameters as Record<string, { Type: string; Default: string }>);
    expect(ssmParams).toContainEqual({
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: `/aws/service/powertools/typescript/generic/all/${POWERTOOLS_VERSION}`,
    });
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const powertools = Object.entries(pkg.dependencies).filter(([name]) => name.startsWith('@aws-lambda-powertools/'));
    expect(powertools.length).toBeGreaterThanOrEqual(3);
    for (const [name, version] of powertools) expect({ name, version }).toEqual({ name, version: POWERTOOLS_VERSION });
    const code = readFileSync(staged, 'utf8');
    expect(code).toMatch(/from\s*"@aws-lambda-powertools\/logger"/);
    expect(code).not.toContain('aws-xray-sdk-core/dist');
    expect(LAYER_PACKAGES).toContain('aws-xray-sdk-core');
  });

  it('replaces the SDK default credential chain with the environment reader', () => {
    const code = readFileSync(staged, 'utf8');
    expect(code).toContain('No AWS credentials in the environment');
    expect(code).not.toMatch(/sso-oidc|fromSSO|fromIni/);
  });
});

describe('every catalog entry', () => {
  const built = new Map<string, string>();
  /** The files (node_modules/… or ours) each bundle is made of, from esbuild's metafile. */
  const inputs = new Map<string, string[]>();

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
    const adapters = (inputs.get(name) ?? []).filter((f) => /^shared\/aws\/.*-repo\.ts$/.test(f));
    // Composite ports (exAnte, ranking, cleanup) bring a few adapters each; never all of them.
    expect(adapters.length).toBeLessThanOrEqual(wired.length + 4);
  });

  it('leaves the event-stream module out, named only by its dynamic import', () => {
    const code = readFileSync(built.get('departments')!, 'utf8');
    expect(code).toMatch(/import\(\s*"@smithy\/core\/event-streams"\s*\)/);
    expect(code).not.toContain(':message-type');
  });

  it('health answers from its bundle', async () => {
    const mod = (await import(pathToFileURL(built.get('health')!).href)) as {
      handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;
    };
    const response = await mod.handler(
      {
        version: '2.0',
        routeKey: 'GET /health',
        rawPath: '/health',
        headers: {},
        requestContext: { requestId: 'r1', routeKey: 'GET /health', http: { method: 'GET', path: '/health' } },
      },
      { awsRequestId: 'r1', functionName: 'health' },
    );
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ status: 'ok' });
  });
});
