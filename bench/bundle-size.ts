/**
 * Bundles every function of infra/catalog.ts with the same esbuild settings as the CDK
 * function construct (infra/constructs/bundling.ts) and prints each bundle's minified size
 * beside its size before issue 12's bundle work (BEFORE_KB) and at the start of item 6
 * (START_KB), gzip size and largest packages, and the size of our SDK layer (infra/constructs/sdk-layer.ts),
 * which every function imports the AWS SDK from.
 * `npx tsx bench/bundle-size.ts [--json] [--check]`; budget 250 KB minified (`--check` exits 1
 * when a function is over it); the ceilings a test holds are BUNDLE_CEILING_KB (bundling.ts).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { HTTP_FUNCTIONS, JOB_FUNCTIONS } from '../infra/catalog';
import { REPO_ROOT, esbuildOptions } from '../infra/constructs/bundling';
import { buildSdkLayer } from '../infra/constructs/sdk-layer';

const BUDGET_KB = 250;
const TOP_PACKAGES = 4;

/**
 * Minified KB per function on main before the Powertools layer and the event-stream cut
 * (commit 4085fa4, Logger bundled, no Tracer). With Tracer bundled as well every function
 * would have been about 122 KB larger still (Tracer with aws-xray-sdk-core, measured alone).
 */
const BEFORE_KB: Record<string, number> = {
  health: 32.4,
  departments: 404.0,
  policies: 406.9,
  projects: 416.9,
  audit: 404.4,
  indicators: 1471.3,
  targets: 427.2,
  monitoring: 417.7,
  deductions: 413.3,
  exemptions: 409.0,
  idleFundsImport: 1465.0,
  idleFunds: 408.5,
  pool: 413.3,
  exAnte: 405.1,
  rankings: 408.4,
  cleanup: 411.3,
  selfEvaluations: 421.7,
  evaluations: 424.4,
  jobs: 534.8,
  inbox: 452.4,
  runner: 538.3,
  outbox: 425.7,
};

/**
 * Minified KB per function at the start of issue 12 item 6 (commit 48d4920: classic zod, every
 * repository in every bundle), measured with this bench.
 */
const START_KB: Record<string, number> = {
  health: 129.6,
  openapi: 255.7,
  departments: 393.3,
  policies: 396.1,
  projects: 406.9,
  audit: 393.6,
  indicators: 1460.0,
  targets: 417.8,
  monitoring: 407.0,
  deductions: 403.0,
  exemptions: 398.3,
  idleFundsImport: 1454.0,
  idleFunds: 397.8,
  pool: 403.2,
  exAnte: 394.4,
  rankings: 397.6,
  cleanup: 401.1,
  selfEvaluations: 411.0,
  evaluations: 414.4,
  jobs: 524.2,
  exports: 1463.0,
  inbox: 442.2,
  reports: 1492.7,
  runner: 491.2,
  outbox: 377.9,
};

interface Row {
  fn: string;
  entry: string;
  kb: number;
  gzipKb: number;
  top: { pkg: string; kb: number }[];
}

/** node_modules/@scope/name/... → @scope/name; our own files → (jixiao). */
function packageOf(file: string): string {
  const parts = file.split('node_modules/');
  if (parts.length < 2) return '(jixiao)';
  const rest = parts[parts.length - 1]!.split('/');
  return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

function byPackage(metafile: Metafile, outfile: string): { pkg: string; kb: number }[] {
  const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith(path.basename(outfile)))?.[1];
  const sizes = new Map<string, number>();
  for (const [file, input] of Object.entries(output?.inputs ?? {})) {
    const pkg = packageOf(file);
    sizes.set(pkg, (sizes.get(pkg) ?? 0) + input.bytesInOutput);
  }
  return [...sizes].sort((a, b) => b[1] - a[1]).map(([pkg, bytes]) => ({ pkg, kb: bytes / 1024 }));
}

async function main() {
  const asJson = process.argv.includes('--json');
  const out = mkdtempSync(path.join(tmpdir(), 'jixiao-bundle-'));
  const entries = [...Object.entries(HTTP_FUNCTIONS), ...Object.entries(JOB_FUNCTIONS)] as [string, { entry: string }][];
  const rows: Row[] = [];
  const missing: string[] = [];
  let layer = { kb: 0, gzipKb: 0 };
  try {
    const layerCode = readFileSync(buildSdkLayer(path.join(out, 'sdk-layer')));
    layer = { kb: layerCode.length / 1024, gzipKb: gzipSync(layerCode).length / 1024 };
    for (const [fn, spec] of entries) {
      if (!existsSync(path.resolve(REPO_ROOT, spec.entry))) {
        missing.push(`${fn} (${spec.entry})`);
        continue;
      }
      const outfile = path.join(out, fn, 'index.mjs');
      const result = await build({ ...esbuildOptions(spec.entry, outfile), metafile: true });
      const code = readFileSync(outfile);
      rows.push({
        fn,
        entry: spec.entry,
        kb: code.length / 1024,
        gzipKb: gzipSync(code).length / 1024,
        top: byPackage(result.metafile, outfile).slice(0, TOP_PACKAGES),
      });
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }

  if (asJson) {
    console.log(JSON.stringify({ budgetKb: BUDGET_KB, beforeKb: BEFORE_KB, startKb: START_KB, rows, sdkLayer: layer, missing, loadavg: loadavg() }, null, 2));
  } else {
    const width = Math.max(8, ...rows.map((r) => r.fn.length));
    console.log(
      `${'function'.padEnd(width)}  ${'before'.padStart(8)}  ${'item 6'.padStart(8)}  ${'KB min'.padStart(8)}  ${'KB gzip'.padStart(8)}  budget  largest parts (KB)`,
    );
    for (const r of rows) {
      const verdict = r.kb <= BUDGET_KB ? 'ok' : 'OVER';
      const top = r.top.map((t) => `${t.pkg} ${t.kb.toFixed(0)}`).join(', ');
      const before = BEFORE_KB[r.fn]?.toFixed(1) ?? 'new';
      const start = START_KB[r.fn]?.toFixed(1) ?? 'new';
      console.log(
        `${r.fn.padEnd(width)}  ${before.padStart(8)}  ${start.padStart(8)}  ${r.kb.toFixed(1).padStart(8)}  ${r.gzipKb.toFixed(1).padStart(8)}  ${verdict.padEnd(6)}  ${top}`,
      );
    }
    for (const m of missing) console.log(`${m}: entry missing, not measured`);
    console.log(`SDK layer (@jixiao/aws-sdk, one copy for every function): ${layer.kb.toFixed(1)} KB min, ${layer.gzipKb.toFixed(1)} KB gzip`);
    console.log(`budget: ${BUDGET_KB} KB minified per function (source maps not counted); the SDK and Powertools come from their layers, not counted`);
    console.log(
      `load average: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  }
  if (process.argv.includes('--check') && rows.some((r) => r.kb > BUDGET_KB)) process.exitCode = 1;
}

await main();
