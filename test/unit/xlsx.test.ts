/**
 * Our XLSX codec (shared/files/xlsx): the ZIP container and its CRC, the reader's edge cases on
 * hand-built parts (shared strings with rich text and phonetic runs, sparse rows, columns past
 * Z, booleans, errors, formulas, dates, namespace prefixes), bad files and zip bombs, and both
 * round trips with exceljs (a dev dependency only): files we write read back by exceljs with the
 * same values and formats, and files exceljs writes read by us.
 */
import { crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readXlsxSheets, UnreadableFileError } from '../../shared/app/spreadsheet';
import { translate } from '../../shared/domain/messages';
import { readWorkbook, XlsxError, columnOf, isDateFormat } from '../../shared/files/xlsx/read';
import { columnLetters, WorkbookWriter, writeWorkbook } from '../../shared/files/xlsx/write';
import { openZip, ZipError, zipFiles, ZipWriter } from '../../shared/files/xlsx/zip';

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A minimal package around the given sheets (and shared strings / styles / workbook extras). */
function pack(sheets: Record<string, string>, extra: { shared?: string; styles?: string; workbookPr?: string; absoluteTargets?: boolean } = {}): Buffer {
  const names = Object.keys(sheets);
  const target = (p: string) => (extra.absoluteTargets ? `/xl/${p}` : p);
  const files: Record<string, string> = {
    '[Content_Types].xml': '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0"?><workbook ${NS}>${extra.workbookPr ?? ''}<sheets>${names.map((n, i) => `<sheet name="${n}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${names
      .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="${target(`worksheets/sheet${i + 1}.xml`)}"/>`)
      .join(
        '',
      )}<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="${target('sharedStrings.xml')}"/><Relationship Id="rIdT" Type="${REL}/styles" Target="${target('styles.xml')}"/></Relationships>`,
  };
  names.forEach((n, i) => {
    files[`xl/worksheets/sheet${i + 1}.xml`] = `<?xml version="1.0"?><worksheet ${NS}><sheetData>${sheets[n]}</sheetData></worksheet>`;
  });
  if (extra.shared) files['xl/sharedStrings.xml'] = `<?xml version="1.0"?><sst ${NS}>${extra.shared}</sst>`;
  if (extra.styles) files['xl/styles.xml'] = `<?xml version="1.0"?><styleSheet ${NS}>${extra.styles}</styleSheet>`;
  return zipFiles(files);
}

describe('ZIP and CRC-32', () => {
  it('computes the standard CRC-32 check value', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
  });

  it('reads back entries written whole and in many batches, deflated into one stream', () => {
    const chunks: Buffer[] = [];
    const zip = new ZipWriter((c) => chunks.push(c));
    zip.file('a.txt', 'hello');
    const e = zip.entry('dir/表.xml');
    const parts = Array.from({ length: 50 }, (_, i) => `<row r="${i}">${'数据'.repeat(i)}</row>`);
    for (const p of parts) e.write(p);
    e.close();
    zip.file('empty', '');
    zip.finish();
    const bytes = Buffer.concat(chunks);
    expect(zip.bytes).toBe(bytes.length);
    const r = openZip(bytes);
    expect(r.names).toEqual(['a.txt', 'dir/表.xml', 'empty']);
    expect(r.read('a.txt')?.toString()).toBe('hello');
    expect(r.read('dir/表.xml')?.toString()).toBe(parts.join(''));
    expect(r.read('empty')?.length).toBe(0);
    expect(r.read('missing')).toBeUndefined();
  });

  it('refuses what is not a ZIP, a truncated one, and a corrupted entry', () => {
    expect(() => openZip(Buffer.from('PK\u0003\u0004garbage'))).toThrow(ZipError);
    const good = zipFiles({ 'a.txt': 'x'.repeat(1000) + 'y'.repeat(1000) });
    expect(() => openZip(good.subarray(0, good.length - 5))).toThrow(/ZIP 目录|end record/);
    const bad = Buffer.from(good);
    bad[40] = (bad[40] as number) ^ 0xff; // inside a.txt's deflated data
    expect(() => openZip(bad).read('a.txt')).toThrow(ZipError);
  });

  it('stops a zip bomb at the limit, whatever size the directory claims', () => {
    const bomb = zipFiles({ 'xl/worksheets/sheet1.xml': Buffer.alloc(20 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => openZip(bomb, { maxEntries: 10, maxTotalBytes: 5 * 1024 * 1024 }).read('xl/worksheets/sheet1.xml')).toThrow(/解压后超过 5 MB/);
    // Sizes in the directory that lie (claim 10 bytes) change nothing: inflation stops at the limit.
    const lying = Buffer.from(bomb);
    const dir = lying.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    lying.writeUInt32LE(10, dir + 24);
    expect(() => openZip(lying, { maxEntries: 10, maxTotalBytes: 5 * 1024 * 1024 }).read('xl/worksheets/sheet1.xml')).toThrow(/解压后超过/);
    // The limit is over every entry read together, not each one.
    const many = zipFiles({ a: Buffer.alloc(3 * 1024 * 1024), b: Buffer.alloc(3 * 1024 * 1024) });
    const r = openZip(many, { maxEntries: 10, maxTotalBytes: 5 * 1024 * 1024 });
    expect(r.read('a')?.length).toBe(3 * 1024 * 1024);
    expect(() => r.read('b')).toThrow(/解压后超过/);
  });

  it('refuses a sheet whose far-apart cells would spread over too many cells', () => {
    const rows = Array.from({ length: 200 }, (_, i) => `<row r="${i + 1}"><c r="XFD${i + 1}"><v>1</v></c></row>`).join('');
    const bytes = pack({ s: rows });
    expect(bytes.length).toBeLessThan(10_000);
    expect(() => readWorkbook(bytes)).toThrow(/单元格过多：超过 2000000 个/);
  });

  it('refuses a directory of too many entries', () => {
    const files = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, '']));
    expect(() => openZip(zipFiles(files), { maxEntries: 10, maxTotalBytes: 1000 })).toThrow(/条目过多/);
  });
});

describe('XLSX reader', () => {
  it('knows column letters past Z, both ways', () => {
    expect([1, 26, 27, 52, 53, 702, 703, 16384].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA', 'XFD']);
    expect(['A1', 'Z9', 'AA12', 'xfd1', '$B$3'].map(columnOf)).toEqual([1, 26, 27, 16384, 2]);
    expect(columnOf('1A')).toBeUndefined();
  });

  it('reads shared strings (rich text joined, phonetic runs left out), inline strings, numbers, booleans, errors and formula results', () => {
    const shared =
      '<si><t>编码</t></si>' +
      '<si><r><rPr><b/></rPr><t>市</t></r><r><t xml:space="preserve"> 某某 </t></r><rPh sb="0" eb="1"><t>shi</t></rPh></si>' +
      '<si><t>a &amp; b &lt;c&gt; _x000D_ &#x4E2D;</t></si>';
    const sheet =
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="AA1" t="inlineStr"><is><t>远</t></is></c></row>' +
      '<row r="5" spans="1:4"><c r="B5" t="b"><v>1</v></c><c r="C5" t="b"><v>0</v></c><c r="D5" t="e"><v>#N/A</v></c><c r="E5"><f>1+1</f><v>2</v></c><c r="F5" t="str"><f>"x"&amp;"y"</f><v>xy</v></c></row>' +
      '<row r="6"><c r="A6" s="0"/><c r="B6"><v></v></c></row>' +
      '<row r="7"><c r="A7"><v>-1.5E-3</v></c><c r="B7" t="s"><v>2</v></c></row>';
    const [ws] = readWorkbook(pack({ 数据: sheet }, { shared }));
    expect(ws?.name).toBe('数据');
    expect(ws?.rows.map((r) => r.row)).toEqual([1, 5, 7]);
    const [r1, r5, r7] = ws?.rows ?? [];
    expect(r1?.cells.length).toBe(27);
    expect([r1?.cells[0], r1?.cells[1], r1?.cells[2], r1?.cells[26]]).toEqual(['编码', '市 某某 ', null, '远']);
    expect(r5?.cells).toEqual([null, true, false, { error: '#N/A' }, 2, 'xy']);
    expect(r7?.cells).toEqual([-0.0015, 'a & b <c> \r 中']);
  });

  it('places cells without references one after another, in rows without numbers', () => {
    const [ws] = readWorkbook(pack({ s: '<row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row><row><c r="C2"><v>3</v></c><c><v>4</v></c></row>' }));
    expect(ws?.rows).toEqual([
      { row: 1, cells: ['a', 1] },
      { row: 2, cells: [null, null, 3, 4] },
    ]);
  });

  it('reads numbers in a date format as dates (built-in and custom formats, 1900 and 1904 systems)', () => {
    const styles =
      '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="165" formatCode="#,##0.00&quot;元&quot;"/></numFmts>' +
      '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs>';
    const sheet =
      '<row r="1"><c r="A1" s="1"><v>43555</v></c><c r="B1" s="2"><v>43555.5</v></c><c r="C1" s="3"><v>43555</v></c><c r="D1" s="1"><v>59</v></c></row>';
    const [ws] = readWorkbook(pack({ s: sheet }, { styles }));
    expect(ws?.rows[0]?.cells).toEqual([new Date('2019-03-31T00:00:00Z'), new Date('2019-03-31T12:00:00Z'), 43555, new Date('1900-02-28T00:00:00Z')]);
    const [w1904] = readWorkbook(pack({ s: sheet }, { styles, workbookPr: '<workbookPr date1904="1"/>' }));
    expect(w1904?.rows[0]?.cells[0]).toEqual(new Date('2023-04-01T00:00:00Z'));
    expect(['yyyy-mm-dd', 'h:mm', '[h]:mm', '[$-804]yyyy年m月'].every(isDateFormat)).toBe(true);
    expect(['General', '0.00%', '#,##0.00"元"', '[Red]0.00', '"d"0', '0_);(0)'].some(isDateFormat)).toBe(false);
  });

  it('reads namespace-prefixed parts with absolute targets, as some writers emit them', () => {
    const sheet = '<x:row r="2"><x:c r="B2" t="inlineStr"><x:is><x:t>前缀</x:t></x:is></x:c></x:row>';
    const bytes = pack({ s: sheet }, { absoluteTargets: true });
    const [ws] = readWorkbook(bytes);
    expect(ws?.rows).toEqual([{ row: 2, cells: [null, '前缀'] }]);
  });

  it('names the problem of a bad workbook', () => {
    expect(() => readWorkbook(Buffer.from('PK\u0003\u0004garbage'))).toThrow(XlsxError);
    expect(() => readWorkbook(zipFiles({ 'hello.txt': 'not a workbook' }))).toThrow(/缺少工作簿部件/);
    expect(() => readWorkbook(pack({ s: '<row r="1"><c r="A1" t="s"><v>3</v></c></row>' }, { shared: '<si><t>a</t></si>' }))).toThrow(/共享字符串/);
    expect(() => readWorkbook(pack({ s: '<row r="1"><c r="1A"><v>3</v></c></row>' }))).toThrow(/单元格引用无效/);
    expect(() => readWorkbook(pack({ s: '<row r="1"><c r="A1"><v>abc</v></c></row>' }))).toThrow(/数值无效/);
  });
});

describe('a bad file, as the imports report it', () => {
  it('is an UnreadableFileError naming the problem in Chinese, and in English when asked', () => {
    const bomb = zipFiles({ '[Content_Types].xml': '', 'xl/workbook.xml': Buffer.alloc(80 * 1024 * 1024) });
    let caught: unknown;
    try {
      readXlsxSheets(bomb);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnreadableFileError);
    const message = (caught as Error).message;
    expect(translate(message, 'zh-CN')).toBe('文件不是可读的 XLSX 工作簿：解压后超过 64 MB，文件过大或是压缩炸弹');
    expect(translate(message, 'en')).toBe('the file is not an XLSX workbook: inflates past 64 MB');
    expect(() => readXlsxSheets(Buffer.from('PK\u0003\u0004garbage'))).toThrow(/文件太短，不是 ZIP.*too short to be a ZIP/);
    expect(() => readXlsxSheets(Buffer.alloc(100, 1))).toThrow(/找不到 ZIP 目录.*no ZIP end record/);
  });
});

describe('XLSX writer', () => {
  it('writes files exceljs reads back with the same values, formats, widths, bold header, frozen pane and filter', async () => {
    const bytes = writeWorkbook([
      {
        name: '项目',
        frozenHeader: true,
        autoFilter: true,
        columns: [{ width: 14 }, { width: 20, numFmt: '#,##0.00' }, { numFmt: '0' }, { width: 9 }],
        rows: [
          { cells: ['编码', '金额（元）', '数量', '备注'], style: { bold: true } },
          { cells: ['A-1', 1234.56, 7, '\'=HYPERLINK("x")'] },
          { cells: ['A-2', 0.01, undefined, 'a & <b> "c" _x0041_ \u0001'] },
          { cells: ['A-3', 10, 3, true], style: { numFmts: [undefined, '#,##0.00"元"'] } },
        ],
      },
      { name: '说明', rows: [{ cells: ['列', '内容'] }] },
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['项目', '说明']);
    const ws = wb.getWorksheet('项目');
    expect(ws?.getRow(1).values).toEqual([undefined, '编码', '金额（元）', '数量', '备注']);
    expect(ws?.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws?.getRow(2).values).toEqual([undefined, 'A-1', 1234.56, 7, '\'=HYPERLINK("x")']);
    expect(ws?.getRow(2).getCell(2).numFmt).toBe('#,##0.00');
    expect(ws?.getRow(2).getCell(3).numFmt).toBe('0');
    expect(ws?.getRow(3).getCell(4).value).toBe('a & <b> "c" _x005F_x0041_ _x0001_'); // exceljs leaves OOXML escapes as written
    expect(ws?.getRow(4).getCell(2).numFmt).toBe('#,##0.00"元"');
    expect(ws?.getRow(4).getCell(4).value).toBe(true);
    expect(ws?.getColumn(1).width).toBe(14);
    expect(ws?.getColumn(2).width).toBe(20);
    expect(ws?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws?.autoFilter).toBe('A1:D1');
    // Our reader reads the escapes back to the text that was written.
    const [ours] = readWorkbook(bytes);
    expect(ours?.rows[2]?.cells[3]).toBe('a & <b> "c" _x0041_ \u0001');
  });

  it('streams a long sheet in batches into a file both readers read whole', async () => {
    let bytes = 0;
    const chunks: Buffer[] = [];
    const wb = new WorkbookWriter((c) => {
      bytes += c.length;
      chunks.push(c);
    });
    const ws = wb.sheet({ name: 'ledger', columns: [{}, { numFmt: '#,##0.00' }] });
    for (let i = 0; i < 20_000; i++) ws.row([`第${i}行`, i / 100]);
    expect(ws.pendingChars).toBeLessThan(64 * 1024 + 200);
    wb.finish();
    const file = Buffer.concat(chunks);
    expect(file.length).toBe(bytes);
    expect(wb.bytes).toBe(bytes);
    const [ours] = readWorkbook(file);
    expect(ours?.rows.length).toBe(20_000);
    expect(ours?.rows[19_999]).toEqual({ row: 20_000, cells: ['第19999行', 199.99] });
    const theirs = new ExcelJS.Workbook();
    await theirs.xlsx.load(file as never);
    expect(theirs.worksheets[0]?.rowCount).toBe(20_000);
    expect(theirs.worksheets[0]?.getRow(12_346).values).toEqual([undefined, '第12345行', 123.45]);
  });
});

describe('files exceljs writes, read by ours', () => {
  it('reads shared strings, rich text, dates, booleans, formulas, errors and sparse cells', async () => {
    const wb = new ExcelJS.Workbook();
    const notes = wb.addWorksheet('说明');
    notes.addRow(['只是说明']);
    const ws = wb.addWorksheet('余额');
    ws.addRow(['accountId', 'balanceFen', 'date', 'ok']);
    ws.addRow(['A1', 98_765_432, new Date(Date.UTC(2019, 2, 31)), true]);
    ws.getCell('A4').value = { richText: [{ text: '富', font: { bold: true } }, { text: '文本' }] };
    ws.getCell('AB4').value = { formula: 'B2*2', result: 197_530_864 };
    ws.getCell('C4').value = { error: '#DIV/0!' };
    ws.getCell('D4').value = '共享';
    ws.getCell('E4').value = '共享';
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const sheets = readWorkbook(bytes);
    expect(sheets.map((s) => s.name)).toEqual(['说明', '余额']);
    const rows = sheets[1]?.rows ?? [];
    expect(rows.map((r) => r.row)).toEqual([1, 2, 4]);
    expect(rows[1]?.cells).toEqual(['A1', 98_765_432, new Date(Date.UTC(2019, 2, 31)), true]);
    const r4 = rows[2]?.cells ?? [];
    expect(r4.slice(0, 5)).toEqual(['富文本', null, { error: '#DIV/0!' }, '共享', '共享']);
    expect(r4.length).toBe(28);
    expect(r4[27]).toBe(197_530_864);
  });

  it('reads a streamed exceljs file (its WorkbookWriter, shared strings on)', async () => {
    const chunks: Buffer[] = [];
    const { PassThrough } = await import('node:stream');
    const stream = new PassThrough();
    stream.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise((r) => stream.on('end', r));
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: true, useStyles: true });
    const ws = wb.addWorksheet('流');
    for (let i = 1; i <= 300; i++) ws.addRow([`行${i % 7}`, i]).commit();
    ws.commit();
    await wb.commit();
    await done;
    const [ours] = readWorkbook(Buffer.concat(chunks));
    expect(ours?.rows.length).toBe(300);
    expect(ours?.rows[299]).toEqual({ row: 300, cells: ['行6', 300] });
  });
});

describe('a LibreOffice-style workbook', () => {
  it('reads the shape LibreOffice Calc saves: sheet rels by rId2…, styles with YYYY-MM-DD, spans, empty styled cells', () => {
    // No LibreOffice on the build machine: this is the shape Calc 7 writes, cut down by hand.
    const files = {
      '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
      '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`,
      'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
      'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<workbook ${NS}><fileVersion appName="Calc"/><workbookPr backupFile="false" showObjects="all" date1904="false"/><workbookProtection/><bookViews><workbookView activeTab="0"/></bookViews><sheets><sheet name="结转" sheetId="1" state="visible" r:id="rId2"/></sheets><calcPr iterateCount="100" refMode="A1" iterate="false" iterateDelta="0.001"/></workbook>`,
      'xl/styles.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<styleSheet ${NS}><numFmts count="2"><numFmt numFmtId="164" formatCode="General"/><numFmt numFmtId="165" formatCode="YYYY\\-MM\\-DD"/></numFmts><fonts count="1"><font><sz val="10"/><name val="Arial"/></font></fonts><cellStyleXfs count="1"><xf numFmtId="164" fontId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="true"/></cellXfs></styleSheet>`,
      'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<sst ${NS} count="4" uniqueCount="4"><si><t xml:space="preserve">carryoverId</t></si><si><t xml:space="preserve">deptId</t></si><si><t xml:space="preserve">originYear</t></si><si><t xml:space="preserve">IMP-C1</t></si></sst>`,
      'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?>\n<worksheet ${NS}><sheetPr filterMode="false"><pageSetUpPr fitToPage="false"/></sheetPr><dimension ref="A1:D2"/><sheetViews><sheetView showFormulas="false" tabSelected="true" workbookViewId="0"><selection pane="topLeft" activeCell="A1" sqref="A1"/></sheetView></sheetViews><sheetFormatPr defaultColWidth="11.53515625" defaultRowHeight="12.8" zeroHeight="false" outlineLevelRow="0" outlineLevelCol="0"/><sheetData><row r="1" customFormat="false" ht="12.8" hidden="false" customHeight="false" outlineLevel="0" collapsed="false"><c r="A1" s="0" t="s"><v>0</v></c><c r="B1" s="0" t="s"><v>1</v></c><c r="C1" s="0" t="s"><v>2</v></c><c r="D1" s="0" t="str"><f aca="false">"date"</f><v>date</v></c></row><row r="2" customFormat="false" ht="12.8" hidden="false" customHeight="false" outlineLevel="0" collapsed="false"><c r="A2" s="0" t="s"><v>3</v></c><c r="B2" s="0" t="n"><v>101</v></c><c r="C2" s="0" t="n"><v>2019</v></c><c r="D2" s="1" t="n"><v>43800</v></c><c r="E2" s="0"/></row></sheetData><pageMargins left="0.7875" right="0.7875" top="1.05277777777778" bottom="1.05277777777778" header="0.7875" footer="0.7875"/></worksheet>`,
    };
    const [ws] = readWorkbook(zipFiles(files));
    expect(ws?.name).toBe('结转');
    expect(ws?.rows).toEqual([
      { row: 1, cells: ['carryoverId', 'deptId', 'originYear', 'date'] },
      { row: 2, cells: ['IMP-C1', 101, 2019, new Date('2019-12-01T00:00:00Z')] },
    ]);
  });

  it('reads a stored (not deflated) entry', () => {
    // Some writers store small parts; build one by hand: method 0, the bytes as they are.
    const body = Buffer.from('hello');
    const name = Buffer.from('a.txt');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(body), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(body.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(crc32(body), 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(body.length, 24);
    central.writeUInt16LE(name.length, 28);
    const dirAt = local.length + name.length + body.length;
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + name.length, 12);
    end.writeUInt32LE(dirAt, 16);
    const zip = Buffer.concat([local, name, body, central, name, end]);
    expect(openZip(zip).read('a.txt')?.toString()).toBe('hello');
  });
});
