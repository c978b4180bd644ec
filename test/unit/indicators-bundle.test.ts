/**
 * exceljs is big (≈1 MB minified): only the indicators function may carry it. The bundles are
 * built as the stack builds them (esbuild, ESM, node) and their inputs inspected.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundleInputs } from '../support/bundle-inputs';
import { HTTP_FUNCTIONS } from '../../infra/catalog';

const inputs = bundleInputs;

describe('exceljs stays in the indicators function', () => {
  it('is bundled into functions/http/indicators.ts', async () => {
    expect((await inputs(HTTP_FUNCTIONS.indicators.entry)).some((i) => i.includes('node_modules/exceljs/'))).toBe(true);
  });

  it('is not in the targets function, which reads the library without its files', async () => {
    const files = await inputs(HTTP_FUNCTIONS.targets.entry);
    expect(files.some((i) => i.includes('node_modules/exceljs/'))).toBe(false);
    expect(files).toContain('shared/aws/indicators-repo.ts');
  });

  it('no other function pulls in the library files module', async () => {
    // Only a function another issue has not written yet (no entry file) is left out; a bundle
    // that fails to build fails the test.
    const others = Object.entries(HTTP_FUNCTIONS).filter(([name, spec]) => name !== 'indicators' && existsSync(spec.entry));
    expect(others.length).toBeGreaterThan(5);
    for (const [name, spec] of others) {
      const files = await inputs(spec.entry);
      expect(files.length).toBeGreaterThan(0);
      const ours = files.filter((i) => i === 'shared/app/indicator-files.ts' || i === 'shared/app/indicators.ts');
      expect({ name, ours }).toEqual({ name, ours: [] });
    }
  }, 120_000);
});
