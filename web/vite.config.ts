/**
 * The console's build. Element Plus components are imported per use (the resolver adds the
 * component and its CSS where a template names it), routes are lazy chunks, ECharts is
 * imported by chart type. The build prints the initial JavaScript (the entry chunk and what it
 * imports statically), gzipped, and writes it to dist/build-stats.json for the browser test.
 */
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import { defineConfig, type Plugin } from 'vite';

/** The initial-JS budget of issue 13. */
const INITIAL_JS_BUDGET_KB = 300;

function initialSize(): Plugin {
  let line = '';
  return {
    name: 'jixiao-initial-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map<string, { code: string; imports: string[] }>();
      for (const [name, out] of Object.entries(bundle)) if (out.type === 'chunk') chunks.set(name, { code: out.code, imports: out.imports });
      const seen = new Set<string>();
      const visit = (name: string) => {
        if (seen.has(name)) return;
        seen.add(name);
        for (const dep of chunks.get(name)?.imports ?? []) visit(dep);
      };
      for (const [name, out] of Object.entries(bundle)) if (out.type === 'chunk' && out.isEntry) visit(name);
      let gzip = 0;
      let raw = 0;
      for (const name of seen) {
        const code = chunks.get(name)?.code ?? '';
        raw += Buffer.byteLength(code);
        gzip += gzipSync(code, { level: 9 }).length;
      }
      const kb = (n: number) => Math.round(n / 102.4) / 10;
      const stats = { initialJsFiles: [...seen], initialJsBytes: raw, initialJsGzipBytes: gzip, budgetKb: INITIAL_JS_BUDGET_KB };
      this.emitFile({ type: 'asset', fileName: 'build-stats.json', source: JSON.stringify(stats, null, 2) });
      const verdict = gzip <= INITIAL_JS_BUDGET_KB * 1024 ? 'within' : 'OVER';
      line = `console: initial JS ${kb(gzip)} KB gzipped (${kb(raw)} KB raw, ${seen.size} files): ${verdict} the ${INITIAL_JS_BUDGET_KB} KB budget`;
    },
    closeBundle() {
      if (line) console.log(line);
    },
  };
}

const api = process.env.JIXIAO_API ?? 'http://localhost:3000';

export default defineConfig({
  root: resolve(import.meta.dirname),
  base: '/',
  plugins: [vue(), Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: 'src/components.d.ts' }), initialSize()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 700 },
  // `npm run dev --prefix web`: the API of `npm start` behind the dev server.
  server: { proxy: { '/v1': api, '/local': api, '/health': api } },
});
