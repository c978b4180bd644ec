/**
 * The indicator library through its routes, against DynamoDB Local: the role matrix, a
 * 3,000-row XLSX import (timed), filters and totals, bad files, export → import round trips.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/http/indicators';
import { lambdaContext } from '../../local/invoke';
import { buildEvent, matchRoute } from '../../local/router';
import type { HttpResponse } from '../../shared/http/response';
import { buildLibrary, LIBRARY_SHAPE } from '../../local/seed/indicators';
import { type DynamoLocal, ensureTable, freePort, LOCAL_CREDENTIALS, startDynamoLocal } from '../../local/services';
import { importIndicators } from '../../shared/app/indicators';
import { indicatorItem, indicatorsRepo } from '../../shared/aws/indicators-repo';
import { ulidIds } from '../../shared/app/ports';
import { SYSTEM } from '../../shared/domain/access';
import { readCsv, readXlsx, writeCsv, writeXlsx, XLSX_TYPE } from '../../shared/app/indicator-files';
import { type Indicator, parseRows } from '../../shared/domain/indicators';
import { type Caller, call, dept, expert, finance, performance, setupTable } from '../support/harness';
import { depsFor } from '../../functions/compose';

const library = buildLibrary().indicators;
/** Xiamen's 2,858 plus 142 more: a 3,000-row file. */
const extra: Indicator[] = Array.from({ length: 3000 - library.length }, (_, i) => ({
  code: `X-${String(i + 1).padStart(4, '0')}`,
  scope: 'general',
  category: '补充类',
  level1: (['output', 'benefit', 'cost', 'satisfaction'] as const)[i % 4] as Indicator['level1'],
  level2: (['quantity', 'social', 'economic', 'service-object'] as const)[i % 4] as string,
  name: `补充指标${i + 1}`,
  unit: '%',
  direction: '>=',
  benchmark: i % 100,
}));
const THREE_THOUSAND = [...library, ...extra];

const xlsx = { 'content-type': XLSX_TYPE };
const csv = { 'content-type': 'text/csv; charset=utf-8' };
const asBuffer = (body: string) => Buffer.from(body, 'latin1');

async function total(query = ''): Promise<number> {
  const res = await call(finance, 'GET', `/v1/indicators?limit=1${query}`);
  expect(res.status).toBe(200);
  return res.body.total;
}

let importMs = 0;
let sharedMs = 0;

beforeAll(async () => {
  await setupTable();
  const started = performance_now();
  const res = await call(performance, 'POST', '/v1/indicators/import', await writeXlsx(THREE_THOUSAND), xlsx);
  sharedMs = performance_now() - started;
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ format: 'xlsx', mode: 'merge', rows: 3000, created: 3000, updated: 0, unchanged: 0, deleted: 0 });
}, 300_000);

function performance_now(): number {
  return Number(process.hrtime.bigint() / 1_000_000n);
}

describe('import of a 3,000-row XLSX', () => {
  // The timed import gets a DynamoDB Local of its own: the shared one queues every test file's
  // writes (npm test runs two files at once, some loading thousands of items), which would time
  // them rather than the import. A JVM's first few thousand writes run before the JIT has
  // compiled its write path, several times slower (bench/indicators-import prints both), so it
  // is warmed on a scratch table first. The import goes through the route's handler.
  let own: DynamoLocal | undefined;
  let client: DynamoDBClient | undefined;
  afterAll(async () => {
    client?.destroy();
    await own?.stop();
  });

  it('imports every row in under 5 s', async () => {
    own = await startDynamoLocal(await freePort());
    await ensureTable(own.endpoint, 'timed', { stream: false });
    await ensureTable(own.endpoint, 'warm', { stream: false });
    client = new DynamoDBClient({ endpoint: own.endpoint, region: 'local', credentials: LOCAL_CREDENTIALS, maxAttempts: 5 });
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const deps = depsFor({ doc, table: 'timed' }, { now: () => new Date() }, ulidIds);
    const file = await writeXlsx(THREE_THOUSAND);
    await importIndicators(depsFor({ doc, table: 'warm' }, { now: () => new Date() }, ulidIds), SYSTEM, { body: file, contentType: XLSX_TYPE, mode: 'merge' });

    const handler = makeHandler(deps);
    const match = matchRoute('POST', '/v1/indicators/import');
    if (!match || 'methodMismatch' in match) throw new Error('no import route');
    const event = buildEvent({
      method: 'POST',
      path: '/v1/indicators/import',
      headers: xlsx,
      body: file,
      claims: { sub: 'perf-officer', roles: ['performance'] },
      match,
    });
    const t0 = performance_now();
    const res = (await handler(event, lambdaContext('indicators', 'timed') as never)) as HttpResponse;
    importMs = performance_now() - t0;
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body as string)).toMatchObject({ rows: 3000, created: 3000 });

    // The floor: the same 3,000 items written raw (BatchWrite, same concurrency) into an empty
    // table of the same instance, right now — what no import code can beat on this machine.
    await ensureTable(own.endpoint, 'floor', { stream: false });
    const t1 = performance_now();
    await indicatorsRepo({ doc, table: 'floor' }).writeBatch(THREE_THOUSAND.map(indicatorItem), []);
    const floorMs = performance_now() - t1;
    console.info(`import of 3,000 XLSX rows: ${importMs} ms (own DynamoDB Local, warm; raw writes alone ${floorMs} ms); ${sharedMs} ms on the shared one`);
    // Under 5 s — unless the machine is so loaded that the raw writes alone take more than a
    // third of that: then the import must stay within 3× the raw writes (read, check, compare
    // and write), and the figures above say why.
    expect(importMs).toBeLessThan(Math.max(5000, 3 * floorMs));
  }, 300_000);

  it('counts them', async () => {
    expect(await total()).toBe(3000);
    const summary = await call(performance, 'GET', '/v1/indicators/summary');
    expect(summary.body.stats).toMatchObject({
      total: 3000,
      general: LIBRARY_SHAPE.general + 142,
      generalCategories: LIBRARY_SHAPE.generalCategories + 1,
      core: LIBRARY_SHAPE.core,
      domains: LIBRARY_SHAPE.domains,
      coreCategories: LIBRARY_SHAPE.coreCategories,
      fundUses: LIBRARY_SHAPE.fundUses,
    });
    expect(summary.body.lastImport).toMatchObject({ rows: 3000, created: 3000, by: 'perf-officer' });
  });

  it('a second import of the same file changes nothing', async () => {
    const res = await call(performance, 'POST', '/v1/indicators/import', await writeXlsx(THREE_THOUSAND), xlsx);
    expect(res.body).toMatchObject({ rows: 3000, created: 0, updated: 0, unchanged: 3000, deleted: 0 });
  }, 120_000);
});

describe('GET /v1/indicators', () => {
  const expected = (f: (i: Indicator) => boolean) => THREE_THOUSAND.filter(f).length;

  it('filters by scope, level1, domain, category and fund use, with totals', async () => {
    expect(await total('&scope=general')).toBe(304);
    expect(await total('&scope=core')).toBe(2696);
    expect(await total('&scope=core&domain=教育')).toBe(expected((i) => i.domain === '教育'));
    expect(await total('&scope=core&domain=教育&level1=benefit')).toBe(expected((i) => i.domain === '教育' && i.level1 === 'benefit'));
    expect(await total('&level1=cost')).toBe(expected((i) => i.level1 === 'cost'));
    expect(await total('&category=基本建设类')).toBe(27);
    expect(await total('&category=基本建设类&level1=satisfaction')).toBe(2);
    const fundUse = library.find((i) => i.scope === 'core')?.fundUse as string;
    expect(await total(`&fundUse=${encodeURIComponent(fundUse)}`)).toBe(expected((i) => i.fundUse === fundUse));
    expect(await total('&domain=不存在')).toBe(0);
  });

  it('pages with nextToken through both scopes without gaps or repeats', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await call(dept('D01'), 'GET', `/v1/indicators?level1=satisfaction&limit=40${token ? `&nextToken=${token}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(expected((i) => i.level1 === 'satisfaction'));
      seen.push(...res.body.items.map((i: Indicator) => i.code));
      token = res.body.nextToken;
      pages++;
    } while (token && pages < 50);
    expect(seen.length).toBe(expected((i) => i.level1 === 'satisfaction'));
    expect(new Set(seen).size).toBe(seen.length);
    // General first, then core in domain → category → fund use order.
    expect(seen[0]?.startsWith('G')).toBe(true);
  });

  it('lists every query problem in one 400', async () => {
    const res = await call(finance, 'GET', '/v1/indicators?scope=all&level1=outcome&limit=0');
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['query.level1', 'query.limit', 'query.scope']);
  });
});

describe('bad files import nothing', () => {
  it('names every bad row and column of a CSV', async () => {
    const rows = [
      'code,scope,category,domain,fundUse,level1,level2,name,unit,direction,benchmark',
      'NEW-1,general,补充类,,,output,quantity,新指标一,个,>=,10',
      'NEW-2,core,补充类,,,benefit,social,新指标二,人,>=,',
      'NEW-3,general,补充类,,,output,cost,新指标三,元,<=,x',
      'G1-001,general,补充类,,,satisfaction,service-object,满意度,%,>=,90',
      'NEW-1,general,补充类,,,output,quantity,重复,个,sideways,',
    ].join('\n');
    const res = await call(performance, 'POST', '/v1/indicators/import', rows, csv);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('The file has 6 problem(s) on 3 row(s); nothing was imported');
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'rows[3].domain',
      'rows[3].fundUse',
      'rows[4].level2',
      'rows[4].benchmark',
      'rows[6].direction',
      'rows[6].code',
    ]);
    expect(await total()).toBe(3000);
    expect(await total('&category=补充类&scope=general')).toBe(142);
  });

  it('refuses a bad XLSX, a file that is no workbook, an unknown type and a file over 4 MB', async () => {
    const bad = await writeXlsx([{ ...extra[0], code: 'NEW-9', level1: 'output', level2: 'social' } as Indicator, ...library.slice(0, 5)]);
    const res = await call(performance, 'POST', '/v1/indicators/import', bad, xlsx);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'rows[2].level2', message: expect.stringContaining('"social" is not a level-2 of output') }]);

    const garbage = await call(performance, 'POST', '/v1/indicators/import', Buffer.from('PK\u0003\u0004garbage'), xlsx);
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.code).toBe('UNREADABLE_FILE');
    const pdf = await call(performance, 'POST', '/v1/indicators/import', Buffer.from('%PDF-1.4'), { 'content-type': 'application/pdf' });
    expect(pdf.status).toBe(400);
    expect(pdf.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = await call(performance, 'POST', '/v1/indicators/import', Buffer.alloc(4 * 1024 * 1024 + 1, 0x41), {
      'content-type': 'application/octet-stream',
    });
    expect(huge.status).toBe(413);
    const empty = await call(performance, 'POST', '/v1/indicators/import', 'code,scope,category,level1,level2,name,direction\n', csv);
    expect(empty.status).toBe(400);
    expect(await total()).toBe(3000);
  });
});

describe('export → import round trip', () => {
  it('exports CSV and XLSX that read back as the same library', async () => {
    const csvRes = await call(finance, 'GET', '/v1/indicators/export?format=csv');
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csvRes.headers['content-disposition']).toMatch(/^attachment; filename="indicators-\d{8}\.csv"$/);
    const xlsxRes = await call(dept('D07'), 'GET', '/v1/indicators/export?format=xlsx');
    expect(xlsxRes.status).toBe(200);
    expect(xlsxRes.headers['content-type']).toBe(XLSX_TYPE);

    const fromCsv = readCsv(Buffer.from(csvRes.body, 'utf8'));
    const fromXlsx = await readXlsx(asBuffer(xlsxRes.body));
    const a = parseRows(fromCsv.header, fromCsv.rows);
    const b = parseRows(fromXlsx.header, fromXlsx.rows);
    expect(a.problems).toEqual([]);
    expect(a.indicators).toHaveLength(3000);
    expect(b.indicators).toEqual(a.indicators);
    const byCode = (list: Indicator[]) => [...list].sort((x, y) => x.code.localeCompare(y.code));
    expect(byCode(a.indicators)).toEqual(byCode(THREE_THOUSAND));
  }, 120_000);

  it('replace with a 10-row file, then import the export again: the same library, byte for byte', async () => {
    const before = (await call(performance, 'GET', '/v1/indicators/export?format=csv')).body as string;
    const exported = asBuffer((await call(performance, 'GET', '/v1/indicators/export?format=xlsx')).body);

    const same = await call(performance, 'POST', '/v1/indicators/import?mode=replace', exported, xlsx);
    expect(same.body).toMatchObject({ rows: 3000, created: 0, updated: 0, unchanged: 3000, deleted: 0 });

    const ten = THREE_THOUSAND.slice(0, 10).map((i) => ({ ...i, name: `${i.name}（修订）` }));
    const small = await call(performance, 'POST', '/v1/indicators/import?mode=replace', writeCsv(ten), csv);
    expect(small.body).toMatchObject({ rows: 10, created: 0, updated: 10, unchanged: 0, deleted: 2990 });
    expect(await total()).toBe(10);

    const back = await call(performance, 'POST', '/v1/indicators/import?mode=replace', exported, xlsx);
    expect(back.body).toMatchObject({ rows: 3000, created: 2990, updated: 10, unchanged: 0, deleted: 0 });
    expect((await call(performance, 'GET', '/v1/indicators/export?format=csv')).body).toBe(before);
    expect((await call(performance, 'GET', '/v1/indicators/summary')).body.stats.total).toBe(3000);
  }, 300_000);
});

describe('who may use the library', () => {
  const who: [string, Caller | null][] = [
    ['department', dept('D01')],
    ['finance', finance],
    ['performance', performance],
    ['expert', expert],
    ['no token', null],
  ];
  const small = writeCsv(THREE_THOUSAND.slice(0, 3));

  it.each([
    ['GET', '/v1/indicators?scope=general&limit=5', [200, 200, 200, 403, 401]],
    ['GET', '/v1/indicators/summary', [200, 200, 200, 403, 401]],
    ['GET', '/v1/indicators/export?format=csv&scope=general', [200, 200, 200, 403, 401]],
    ['POST', '/v1/indicators/import', [403, 403, 200, 403, 401]],
  ] as const)('%s %s', async (method, path, statuses) => {
    for (const [i, [name, caller]] of who.entries()) {
      const res = await call(caller, method, path, method === 'POST' ? small : undefined, method === 'POST' ? csv : {});
      expect({ name, status: res.status }).toEqual({ name, status: statuses[i] });
    }
  });
});
