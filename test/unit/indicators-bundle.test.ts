/**
 * exceljs (≈400 KB minified with readable-stream) is a dev dependency for the tests: no function
 * bundles it; files are read and written by our own codec (shared/files/xlsx). The library's
 * file module stays in the indicators function. The bundles are built as the stack builds them
 * (esbuild, ESM, node) and their inputs inspected.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundleInputs } from '../support/bundle-inputs';
import { HTTP_FUNCTIONS, JOB_FUNCTIONS } from '../../infra/catalog';

const inputs = bundleInputs;
const excel = (files: string[]) => files.some((i) => i.includes('node_modules/exceljs/') || i.includes('node_modules/readable-stream/'));

describe('XLSX in the bundles', () => {
  it('the indicators function reads and writes XLSX with our codec, not exceljs', async () => {
    const files = await inputs(HTTP_FUNCTIONS.indicators.entry);
    expect(excel(files)).toBe(false);
    expect(files).toEqual(expect.arrayContaining(['shared/files/xlsx/read.ts', 'shared/files/xlsx/write.ts', 'shared/files/xlsx/zip.ts']));
  });

  it('is not in the targets function, which reads the library without its files', async () => {
    const files = await inputs(HTTP_FUNCTIONS.targets.entry);
    expect(files.some((i) => i.startsWith('shared/files/'))).toBe(false);
    expect(files).toContain('shared/aws/indicators-repo.ts');
  });

  it('no other function pulls in the library files module, and no function at all bundles exceljs', async () => {
    // Only a function another issue has not written yet (no entry file) is left out; a bundle
    // that fails to build fails the test.
    const all = [...Object.entries(HTTP_FUNCTIONS), ...Object.entries(JOB_FUNCTIONS)].filter(([, spec]) => existsSync(spec.entry));
    expect(all.length).toBeGreaterThan(5);
    for (const [name, spec] of all) {
      const files = await inputs(spec.entry);
      expect(files.length).toBeGreaterThan(0);
      const ours = name === 'indicators' ? [] : files.filter((i) => i === 'shared/app/indicator-files.ts' || i === 'shared/app/indicators.ts');
      expect({ name, ours, excel: excel(files) }).toEqual({ name, ours: [], excel: false });
    }
  }, 180_000);
});
