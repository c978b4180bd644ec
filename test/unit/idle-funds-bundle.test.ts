/**
 * The XLSX reader (shared/files/xlsx) goes only where files are imported: of the idle-fund
 * functions, the import function carries it; the job runner, which runs the sweep, and the pool
 * function do not. exceljs (≈400 KB minified with readable-stream) is a dev dependency for the
 * tests and is in no bundle. Bundles are built as the stack builds them (esbuild, ESM, node)
 * and their inputs inspected.
 */
import { describe, expect, it } from 'vitest';
import { bundleInputs } from '../support/bundle-inputs';
import { HTTP_FUNCTIONS, JOB_FUNCTIONS } from '../../infra/catalog';

const inputs = bundleInputs;

const excel = (files: string[]) => files.some((i) => i.includes('node_modules/exceljs/') || i.includes('node_modules/readable-stream/'));
const reader = (files: string[]) => files.includes('shared/files/xlsx/read.ts');

describe('the XLSX reader in the idle-fund bundles', () => {
  it('is in the import function, with the file reader, and not in the records function; exceljs is in neither', async () => {
    const files = await inputs(HTTP_FUNCTIONS.idleFundsImport.entry);
    expect({ excel: excel(files), reader: reader(files) }).toEqual({ excel: false, reader: true });
    expect(files).toContain('shared/app/idle-funds/files.ts');
    const records = await inputs(HTTP_FUNCTIONS.idleFunds.entry);
    expect({ excel: excel(records), reader: reader(records), files: records.includes('shared/app/idle-funds/files.ts') }).toEqual({
      excel: false,
      reader: false,
      files: false,
    });
  }, 60_000);

  it('is not in the pool function nor in the job runner that runs the sweep', async () => {
    const pool = await inputs(HTTP_FUNCTIONS.pool.entry);
    expect({ excel: excel(pool), reader: reader(pool), files: pool.includes('shared/app/idle-funds/files.ts') }).toEqual({
      excel: false,
      reader: false,
      files: false,
    });
    const runner = await inputs(JOB_FUNCTIONS.runner.entry);
    expect(runner).toContain('shared/app/jobs/idle-funds-sweep.ts');
    expect({ excel: excel(runner), reader: reader(runner), files: runner.includes('shared/app/idle-funds/files.ts') }).toEqual({
      excel: false,
      reader: false,
      files: false,
    });
  }, 60_000);
});
