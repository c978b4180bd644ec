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
 * The bare name of our SDK facade (shared/aws/sdk.ts, mapped by tsconfig.json paths and
 * vitest.config.ts for local runs). External to the function bundles: on Lambda it is our SDK
 * layer's package, /opt/nodejs/node_modules/@jixiao/aws-sdk (sdk-layer.ts), the facade bundled
 * once with the SDK versions of our lockfile. Every client (DynamoDB, the DocumentClient, SESv2,
 * Lambda) is in that one bundle, so they share one @smithy/core and its classes.
 */
export const SDK_PACKAGE = '@jixiao/aws-sdk';

/** The facade the SDK layer bundles, relative to the repository root. */
export const SDK_FACADE = 'shared/aws/sdk.ts';

/** Where the layer's bundle sits inside the layer (Lambda mounts it at /opt). */
export const SDK_LAYER_DIR = path.join('nodejs', 'node_modules', ...SDK_PACKAGE.split('/'));

/**
 * The minified size (KB) no bundle may grow past, held by test/infra/synth.test.ts: 250 KB per
 * function, the goal of issue 12 item 6 (bench/bundle-size.ts). Item 6 took every function down
 * by 60 to 120 KB (zod/mini for the schemas, each entry wiring only its repositories), replaced
 * exceljs (~400 KB with readable-stream) by our XLSX codec (shared/files/xlsx, 8–17 KB) and moved
 * the pinned AWS SDK (about 190 KB of every function that reads the table) into our SDK layer,
 * whose own ceiling is `sdkLayer`: its size with a little room, so that growth is a decision,
 * not an accident. `byFunction` names a function allowed past 250; today none is.
 */
export const BUNDLE_CEILING_KB = {
  http: 250,
  byFunction: {} as Record<string, number>,
  sdkLayer: 400,
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
   * The layers' packages are external: Powertools' and our SDK facade (SDK_PACKAGE), whose layer
   * carries the SDK at the version of our lockfile (never the runtime's own SDK: no drift).
   */
  external: [...LAYER_PACKAGES, SDK_PACKAGE] as string[],
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

/**
 * The SDK layer's bundle: the facade with the same settings as the functions, to
 * `<layerRoot>/nodejs/node_modules/@jixiao/aws-sdk/index.mjs`, with the whole SDK inlined,
 * `@smithy/core/event-streams` included: the Lambda client imports it statically (its config
 * names the event-stream serde), so leaving it out would break the layer's loading, and in the
 * one shared layer its 19 KB are paid once. Nothing is external: the layer needs no node_modules.
 */
export function sdkLayerOptions(layerRoot: string): BuildOptions {
  const options = esbuildOptions(SDK_FACADE, path.join(layerRoot, SDK_LAYER_DIR, 'index.mjs'));
  return { ...options, external: [] };
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
