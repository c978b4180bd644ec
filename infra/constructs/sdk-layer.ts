/**
 * Our SDK layer: the AWS SDK at the versions of our lockfile, bundled once from node_modules at
 * synth (esbuild, no Docker, offline) as the package `@jixiao/aws-sdk` that every function
 * bundle imports (bundling.ts SDK_PACKAGE). One copy for all functions instead of about 190 KB
 * inside each; never the SDK the Lambda runtime happens to ship.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';
import type { Construct } from 'constructs';
import { REPO_ROOT, SDK_LAYER_DIR, SDK_PACKAGE, sdkLayerOptions } from './bundling';

/** The SDK packages the facade re-exports, whose installed versions the layer names. */
export const SDK_LAYER_CLIENTS = [
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/lib-dynamodb',
  '@aws-sdk/util-dynamodb',
  '@aws-sdk/client-sesv2',
  '@aws-sdk/client-lambda',
  '@aws-sdk/client-sqs',
];

export function installedVersion(pkg: string): string {
  return (JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Bundles the layer into `layerRoot` (nodejs/node_modules/@jixiao/aws-sdk/{index.mjs,package.json});
 * its package version is client-dynamodb's.
 */
export function buildSdkLayer(layerRoot: string): string {
  const options = sdkLayerOptions(layerRoot);
  buildSync(options);
  const dir = path.join(layerRoot, SDK_LAYER_DIR);
  const pkg = { name: SDK_PACKAGE, type: 'module', exports: './index.mjs', version: installedVersion('@aws-sdk/client-dynamodb') };
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  return path.join(dir, 'index.mjs');
}

/** The layer, one per stack, built at its first use in the synth. */
export function sdkLayer(scope: Construct): lambda.ILayerVersion {
  const stack = Stack.of(scope);
  const id = 'SdkLayer';
  const existing = stack.node.tryFindChild(id) as lambda.ILayerVersion | undefined;
  if (existing) return existing;
  const root = mkdtempSync(path.join(tmpdir(), 'jixiao-sdk-layer-'));
  // The asset is copied into the cloud assembly when the layer is made; the build goes at exit.
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  buildSdkLayer(root);
  const versions = SDK_LAYER_CLIENTS.map((pkg) => `${pkg.replace('@aws-sdk/', '')} ${installedVersion(pkg)}`).join(', ');
  return new lambda.LayerVersion(stack, id, {
    code: lambda.Code.fromAsset(root),
    compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
    compatibleArchitectures: [lambda.Architecture.ARM_64],
    description: `${SDK_PACKAGE}: AWS SDK v3 pinned by package-lock.json (${versions})`,
  });
}
