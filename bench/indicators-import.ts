/**
 * Times importing a 3,000-row XLSX library (Xiamen's 2,858 indicators plus 142) into DynamoDB
 * Local: reading and checking the file, the first import (3,000 puts), a second import of the
 * same file (nothing to write), and the export. `npx tsx bench/indicators-import.ts [rows]`.
 * Uses DDB_ENDPOINT if set, else starts DynamoDB Local on a free port. Goal: import < 5 s.
 *
 * DynamoDB Local is a JVM: its first few thousand writes run before the JIT has compiled its
 * write path and take several times longer. The first import into a scratch table is printed
 * as the cold figure; the measured runs come after it, into a table of their own.
 */
import { performance as perf } from 'node:perf_hooks';
import { buildLibrary } from '../local/seed/indicators';
import { freePort, LOCAL_CREDENTIALS, ensureTable, startDynamoLocal } from '../local/services';
import type { AppDeps } from '../shared/app/context';
import { writeXlsx } from '../shared/app/indicator-files';
import { exportIndicators, importIndicators, readLibraryFile } from '../shared/app/indicators';
import { ulidIds } from '../shared/app/ports';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Indicator } from '../shared/domain/indicators';
import { SYSTEM } from '../shared/domain/access';
import { depsFor } from '../functions/compose';

async function main() {
  const rows = Number(process.argv[2] ?? 3000);
  const base = buildLibrary().indicators;
  const indicators: Indicator[] = [...base];
  for (let i = 0; indicators.length < rows; i++) {
    indicators.push({
      code: `X-${String(i + 1).padStart(5, '0')}`,
      scope: 'general',
      category: '补充类',
      level1: 'output',
      level2: 'quantity',
      name: `补充指标${i + 1}`,
      unit: '个',
      direction: '>=',
    });
  }
  indicators.length = rows;

  const started = process.env.DDB_ENDPOINT ? undefined : await startDynamoLocal(await freePort());
  const endpoint = process.env.DDB_ENDPOINT ?? (started?.endpoint as string);
  const table = `bench-indicators-${Date.now().toString(36)}`;
  await ensureTable(endpoint, table);
  await ensureTable(endpoint, `${table}-cold`);
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: LOCAL_CREDENTIALS, maxAttempts: 5 });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const deps: AppDeps = depsFor({ doc, table }, { now: () => new Date() }, ulidIds);
  const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  try {
    const tc = perf.now();
    await importIndicators(depsFor({ doc, table: `${table}-cold` }, { now: () => new Date() }, ulidIds), SYSTEM, {
      body: await writeXlsx(indicators),
      contentType: xlsxType,
      mode: 'merge',
    });
    const tCold = perf.now() - tc;

    const t0 = perf.now();
    const file = await writeXlsx(indicators);
    const tWrite = perf.now() - t0;

    // Warm up the module so the figures compare runs, not cold starts.
    await readLibraryFile('xlsx', await writeXlsx(indicators.slice(0, 10)));
    const t1 = perf.now();
    const parsed = await readLibraryFile('xlsx', file);
    const tRead = perf.now() - t1;

    const t2 = perf.now();
    const first = await importIndicators(deps, SYSTEM, { body: file, contentType: xlsxType, mode: 'merge' });
    const tImport = perf.now() - t2;

    const t3 = perf.now();
    const second = await importIndicators(deps, SYSTEM, { body: file, contentType: xlsxType, mode: 'merge' });
    const tAgain = perf.now() - t3;

    const t4 = perf.now();
    const exported = await exportIndicators(deps, 'xlsx', {});
    const tExport = perf.now() - t4;

    const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;
    console.log(`indicator library import, ${rows} rows, XLSX ${(file.byteLength / 1024).toFixed(0)} KB, DynamoDB Local`);
    console.log(`  first import, cold JVM (scratch)    ${ms(tCold)}`);
    console.log(`  write the XLSX                      ${ms(tWrite)}`);
    console.log(`  read + check every row              ${ms(tRead)}   (${parsed.length} indicators)`);
    console.log(
      `  import, empty library               ${ms(tImport)}   created ${first.created}  ${((rows / tImport) * 1000).toFixed(0)} rows/s  ${tImport < 5000 ? 'OK (< 5 s)' : 'OVER 5 s'}`,
    );
    console.log(`  import again, nothing changed       ${ms(tAgain)}   unchanged ${second.unchanged}`);
    console.log(`  export as XLSX                      ${ms(tExport)}   ${exported.count} rows, ${(exported.body.byteLength / 1024).toFixed(0)} KB`);
  } finally {
    client.destroy();
    await started?.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
