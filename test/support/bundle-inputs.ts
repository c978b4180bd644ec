/** The files a function's bundle is made of, bundled with the stack's own esbuild settings. */
import { build } from 'esbuild';
import { BUNDLE } from '../../infra/constructs/bundling';

export async function bundleInputs(entry: string): Promise<string[]> {
  const out = await build({
    ...BUNDLE,
    mainFields: [...BUNDLE.mainFields],
    external: [...BUNDLE.external],
    banner: { js: BUNDLE.banner },
    sourcemap: false,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    write: false,
    metafile: true,
    logLevel: 'silent',
    outdir: '/tmp/jixiao-bundle-inputs',
  });
  return Object.keys(out.metafile.inputs);
}
