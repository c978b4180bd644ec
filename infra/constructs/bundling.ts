/**
 * How every function is bundled, in one place: the function construct hands these settings to
 * NodejsFunction (which runs esbuild from node_modules) and bench/bundle-size.ts hands the same
 * settings to esbuild's API, so the sizes the benchmark prints are the sizes that ship.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Charset, type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/** The repository root: entries in infra/catalog.ts are relative to it. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * ESM bundles have no `require`; a CommonJS dependency that calls `require('node:…')` at run
 * time would throw "Dynamic require of … is not supported". esbuild's shim uses a global
 * `require` when one exists, so the banner defines one.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __jixiaoCreateRequire } from 'node:module'; const require = __jixiaoCreateRequire(import.meta.url);";

/**
 * The Powertools version of package.json: the functions get the official Powertools layer of
 * this version (function.ts), so the bundles leave these packages out (`external` below).
 * test/infra/bundle.test.ts holds it equal to package.json's.
 */
export const POWERTOOLS_VERSION = '2.36.0';

/**
 * Provided by the Powertools layer at run time (Logger, Metrics, Tracer with aws-xray-sdk-core,
 * and their commons), not bundled. Tracer alone is about 120 KB minified.
 */
export const LAYER_PACKAGES = ['@aws-lambda-powertools/*', 'aws-xray-sdk-core'];

/**
 * SDK modules that only a code path none of our operations takes would load, by a dynamic
 * `import()`: left out of the bundles instead of inlined. `@smithy/core/event-streams` (about
 * 19 KB) serves event-stream operations (Lambda's InvokeWithResponseStream, Bedrock, Transcribe…);
 * DynamoDB, SESv2 SendEmail and Lambda Invoke have none. test/infra/synth.test.ts checks that the
 * bundles name it only in that dynamic import.
 */
export const UNREACHED_SDK_MODULES = ['@smithy/core/event-streams'];

/**
 * The minified size (KB) no bundle may grow past, held by test/infra/synth.test.ts. The goal is
 * 250 KB (bench/bundle-size.ts). Issue 12 item 6 took every function down by 60 to 120 KB
 * (zod/mini for the schemas, each entry wiring only its repositories); what remains above 250 is
 * the DynamoDB client, bundled at its pinned version (about 190 KB of every function that reads
 * the table), plus each function's own code. These ceilings are today's sizes with a little room,
 * so that growth is a decision, not an accident. Named functions carry a large part on purpose:
 * the Lambda client (jobs, starting job runs) or, until branch xlsx replaces exceljs with our
 * own XLSX codec, exceljs (indicators, idleFundsImport, exports, reports; the lead lowers those
 * after merging it).
 */
export const BUNDLE_CEILING_KB = {
  http: 330,
  byFunction: { jobs: 450, indicators: 440, idleFundsImport: 425, exports: 435, reports: 465 } as Record<string, number>,
};

/** The esbuild settings shared by the function construct and the bundle-size benchmark. */
export const BUNDLE = {
  /** Runtime.NODEJS_22_X: esbuild leaves alone the syntax Node 22 understands. */
  target: 'node22',
  format: 'esm',
  minify: true,
  sourcemap: true,
  /** The map is for stack traces (--enable-source-maps), which need positions, not sources. */
  sourcesContent: false,
  /** Prefer packages' ES module builds: tree shaking works on them, not on CommonJS. */
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  /**
   * Only the Powertools layer's packages are external: the AWS SDK is bundled (pinned version,
   * tree-shaken, no runtime drift).
   */
  external: [...LAYER_PACKAGES, ...UNREACHED_SDK_MODULES] as string[],
  /** Chinese text stays UTF-8 instead of \uXXXX escapes, which are up to three times larger. */
  charset: 'utf8',
  /** Module substitutions for Lambda: see credentials-from-env.ts. */
  alias: {
    '@aws-sdk/credential-provider-node': path.join(REPO_ROOT, 'infra', 'constructs', 'credentials-from-env.ts'),
  } as Record<string, string>,
} as const;

/** NodejsFunction's form of BUNDLE. */
export function lambdaBundling(files: string[] = []): BundlingOptions {
  return {
    ...(files.length > 0
      ? {
          commandHooks: {
            beforeBundling: () => [],
            beforeInstall: () => [],
            afterBundling: (inputDir: string, outputDir: string) => files.map((f) => `cp "${path.join(inputDir, f)}" "${outputDir}/"`),
          },
        }
      : {}),
    target: BUNDLE.target,
    format: OutputFormat.ESM,
    minify: BUNDLE.minify,
    sourceMap: BUNDLE.sourcemap,
    sourcesContent: BUNDLE.sourcesContent,
    mainFields: [...BUNDLE.mainFields],
    banner: BUNDLE.banner,
    externalModules: [...BUNDLE.external],
    bundleAwsSDK: true,
    charset: Charset.UTF8,
    // This aws-cdk-lib ignores `charset`; without the flag Chinese text ships as \uXXXX escapes.
    esbuildArgs: { '--alias': Object.entries(BUNDLE.alias).map(([from, to]) => `${from}=${to}`), '--charset': BUNDLE.charset },
    // esbuild comes from node_modules; there is no Docker on the build machines.
    forceDockerBundling: false,
  };
}

/** esbuild's form of BUNDLE, as NodejsFunction invokes it (`--bundle --platform=node`). */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [path.resolve(REPO_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: BUNDLE.target,
    format: BUNDLE.format,
    minify: BUNDLE.minify,
    sourcemap: BUNDLE.sourcemap,
    sourcesContent: BUNDLE.sourcesContent,
    mainFields: [...BUNDLE.mainFields],
    banner: { js: BUNDLE.banner },
    external: [...BUNDLE.external],
    charset: BUNDLE.charset,
    alias: { ...BUNDLE.alias },
    logLevel: 'warning',
  };
}
