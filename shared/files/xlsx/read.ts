/**
 * Reading XLSX workbooks as Excel, WPS, LibreOffice and exceljs write them: the workbook's
 * sheets in order (found through the package and workbook relationships), shared strings
 * (rich text runs joined, phonetic runs left out), inline strings, numbers, booleans, errors,
 * formula results (the cached value), and numbers in a date format as dates (1900 or 1904
 * system). Rows and cells are placed by their references (`AA12`), so sparse sheets keep
 * their row numbers and columns; a row's trailing empty cells are dropped.
 *
 * Anything wrong with the file is an XlsxError whose message names the problem.
 */
import { attr, type Tag, tokens, unescapeOoxml } from './xml';
import { DEFAULT_LIMITS, openZip, ZipError, type ZipLimits, type ZipReader } from './zip';

/** A file that is not a workbook we can read: why, in Chinese and in English ("中文 (English)"). */
export class XlsxError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} (${en})`);
  }
}

export type ReadValue = string | number | boolean | Date | { error: string } | null;

export interface ReadRow {
  /** The row number a spreadsheet shows (1-based). */
  row: number;
  /** Cells by column, A first; null where a cell is absent or empty. */
  cells: ReadValue[];
}

export interface ReadSheet {
  name: string;
  rows: ReadRow[];
}

const REL_OFFICE_DOCUMENT = /\/officeDocument$/;
/**
 * Cells a workbook may spread over (a row's cells up to its last one, across every sheet): a
 * small file of far-apart references (`XFD1`, `XFD2`, …) would otherwise fill memory.
 */
export const MAX_CELLS = 2_000_000;

/** "AA12" → column 27 (1-based); undefined when the reference is not a cell's. */
export function columnOf(ref: string): number | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?\d*$/.exec(ref);
  if (!m) return undefined;
  let n = 0;
  for (const ch of (m[1] as string).toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

function text(zip: ZipReader, path: string): string | undefined {
  const bytes = zip.read(path);
  return bytes?.toString('utf8').replace(/^\uFEFF/, '');
}

/** A part's relationships: Id → target path, resolved against the part's folder. */
function relationships(zip: ZipReader, part: string): Map<string, { type: string; target: string }> {
  const slash = part.lastIndexOf('/');
  const dir = part.slice(0, slash + 1);
  const rels = new Map<string, { type: string; target: string }>();
  const xml = text(zip, `${dir}_rels/${part.slice(slash + 1)}.rels`);
  if (!xml) return rels;
  for (const t of tokens(xml)) {
    if (!('tag' in t) || t.tag.close || t.tag.name !== 'Relationship') continue;
    const id = attr(t.tag, 'Id');
    const target = attr(t.tag, 'Target');
    if (id && target && attr(t.tag, 'TargetMode') !== 'External') rels.set(id, { type: attr(t.tag, 'Type') ?? '', target: resolve(dir, target) });
  }
  return rels;
}

function resolve(dir: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : dir + target).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

/** The text of a string item (`<si>` or `<is>`): its `<t>`, or its runs' `<t>`s, without `<rPh>`. */
function stringItems(xml: string, item: 'si' | 'is'): string[] {
  const out: string[] = [];
  let inItem = false;
  let inT = false;
  let phonetic = 0;
  let current = '';
  for (const t of tokens(xml)) {
    if ('text' in t) {
      if (inItem && inT && phonetic === 0) current += t.text;
      continue;
    }
    const { name, close, selfClosing } = t.tag;
    if (name === item) {
      if (!close) {
        inItem = true;
        current = '';
      }
      if (close || selfClosing) {
        out.push(unescapeOoxml(current));
        inItem = false;
      }
    } else if (name === 'rPh') {
      if (!selfClosing) phonetic += close ? -1 : 1;
    } else if (name === 't') inT = !close && !selfClosing;
  }
  return out;
}

const BUILTIN_DATE_FMTS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Is this number format a date or time? Quoted text, escapes and [colour] sections do not count. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?!h\]|m\]|s\]|hh\]|mm\]|ss\])[^\]]*\]/gi, '')
    .replace(/_.|\*./g, '');
  return /[dmyhs]/i.test(bare.split(';')[0] ?? '') && !/^General$/i.test(bare);
}

/** For each cell format (the `s` of a cell), whether it shows a date. */
function dateStyles(xml: string | undefined): boolean[] {
  if (!xml) return [];
  const custom = new Map<number, string>();
  const out: boolean[] = [];
  let inCellXfs = false;
  for (const t of tokens(xml)) {
    if (!('tag' in t)) continue;
    const { tag } = t;
    if (tag.name === 'numFmt' && !tag.close) custom.set(Number(attr(tag, 'numFmtId')), attr(tag, 'formatCode') ?? '');
    else if (tag.name === 'cellXfs') inCellXfs = !tag.close && !tag.selfClosing;
    else if (tag.name === 'xf' && inCellXfs && !tag.close) {
      const id = Number(attr(tag, 'numFmtId') ?? 0);
      const code = custom.get(id);
      out.push(code !== undefined ? isDateFormat(code) : BUILTIN_DATE_FMTS.has(id));
    }
  }
  return out;
}

/** Excel's day number as a date: 1900 system (with its phantom 29 February 1900) or 1904. */
function fromSerial(serial: number, date1904: boolean): Date {
  const days = date1904 ? serial + 1462 : serial < 60 ? serial + 1 : serial;
  return new Date(Math.round((days - 25569) * 86_400) * 1000);
}

interface CellState {
  ref?: string;
  type?: string;
  style?: number;
  value: string;
  inline: string;
  hasValue: boolean;
}

function cellValue(c: CellState, shared: string[], dates: boolean[], date1904: boolean): ReadValue {
  switch (c.type) {
    case 's': {
      if (!c.hasValue) return null;
      const s = shared[Number(c.value)];
      if (s === undefined)
        throw new XlsxError(
          `单元格 ${c.ref ?? ''} 引用了不存在的共享字符串 ${c.value}`,
          `cell ${c.ref ?? ''} refers to shared string ${c.value}, which does not exist`,
        );
      return s;
    }
    case 'inlineStr':
      return unescapeOoxml(c.inline);
    case 'str':
      return c.hasValue ? unescapeOoxml(c.value) : null;
    case 'b':
      return c.hasValue ? c.value.trim() === '1' || c.value.trim().toLowerCase() === 'true' : null;
    case 'e':
      return c.hasValue ? { error: c.value } : null;
    case 'd': {
      if (!c.hasValue) return null;
      const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(c.value) || !c.value.includes('T') ? c.value : `${c.value}Z`);
      return Number.isNaN(d.getTime()) ? c.value : d;
    }
    default: {
      if (!c.hasValue || c.value.trim() === '') return null;
      const n = Number(c.value);
      if (!Number.isFinite(n)) throw new XlsxError(`单元格 ${c.ref ?? ''} 的数值无效：${c.value.slice(0, 20)}`, `cell ${c.ref ?? ''} is not a number`);
      return c.style !== undefined && dates[c.style] ? fromSerial(n, date1904) : n;
    }
  }
}

/** A sheet's XML, element by element: rows, cells, and the text of their values. */
class SheetParser {
  readonly rows: ReadRow[] = [];
  private row: ReadRow | undefined;
  private cell: (CellState & { col: number }) | undefined;
  private nextRow = 1;
  private nextCol = 1;
  private inSheetData = false;
  private inV = false;
  private inIs = false;
  private inT = false;
  private phonetic = 0;

  constructor(
    private readonly shared: string[],
    private readonly dates: boolean[],
    private readonly date1904: boolean,
    /** Cells spread over so far in the workbook (MAX_CELLS). */
    private readonly spread: { cells: number },
  ) {}

  text(text: string): void {
    if (!this.cell || this.phonetic > 0) return;
    if (this.inV) this.cell.value += text;
    else if (this.inIs && this.inT) this.cell.inline += text;
  }

  tag(tag: Tag): void {
    const open = !tag.close && !tag.selfClosing;
    switch (tag.name) {
      case 'sheetData':
        this.inSheetData = open;
        break;
      case 'row':
        if (!this.inSheetData) break;
        if (!tag.close) this.startRow(tag);
        if (tag.close || tag.selfClosing) this.endRow();
        break;
      case 'c':
        if (!this.inSheetData) break;
        if (!tag.close) this.startCell(tag);
        if (tag.close || tag.selfClosing) this.endCell();
        break;
      case 'v':
        this.inV = open;
        if (this.cell && !tag.close) this.cell.hasValue = true;
        break;
      case 'is':
        this.inIs = open;
        break;
      case 't':
        this.inT = open;
        break;
      case 'rPh':
        if (!tag.selfClosing) this.phonetic += tag.close ? -1 : 1;
        break;
    }
  }

  private startRow(tag: Tag): void {
    const r = Number(attr(tag, 'r') ?? this.nextRow);
    if (!Number.isInteger(r) || r < 1 || r > 1_048_576) throw new XlsxError(`行号无效：${attr(tag, 'r')}`, `bad row number ${attr(tag, 'r')}`);
    this.row = { row: r, cells: [] };
    this.nextRow = r + 1;
    this.nextCol = 1;
  }

  endRow(): void {
    if (this.row && this.row.cells.length > 0) this.rows.push(this.row);
    this.row = undefined;
  }

  private startCell(tag: Tag): void {
    if (!this.row) this.startRow({ name: 'row', close: false, selfClosing: false, attrs: '' });
    const ref = attr(tag, 'r');
    const col = ref ? columnOf(ref) : this.nextCol;
    if (col === undefined || col > 16_384) throw new XlsxError(`单元格引用无效：${ref}`, `bad cell reference ${ref}`);
    this.nextCol = col + 1;
    const s = attr(tag, 's');
    this.cell = { ref, col, type: attr(tag, 't'), style: s === undefined ? undefined : Number(s), value: '', inline: '', hasValue: false };
  }

  private endCell(): void {
    const { cell, row } = this;
    this.cell = undefined;
    if (!cell || !row) return;
    const v = cellValue(cell, this.shared, this.dates, this.date1904);
    if (v === null || v === '') return;
    if (cell.col > row.cells.length) {
      this.spread.cells += cell.col - row.cells.length;
      if (this.spread.cells > MAX_CELLS) throw new XlsxError(`单元格过多：超过 ${MAX_CELLS} 个`, `more than ${MAX_CELLS} cells`);
    }
    while (row.cells.length < cell.col - 1) row.cells.push(null);
    row.cells[cell.col - 1] = v;
  }
}

function readRows(xml: string, shared: string[], dates: boolean[], date1904: boolean, spread: { cells: number }): ReadRow[] {
  const parser = new SheetParser(shared, dates, date1904, spread);
  for (const t of tokens(xml)) {
    if ('text' in t) parser.text(t.text);
    else parser.tag(t.tag);
  }
  parser.endRow();
  return parser.rows;
}

/**
 * Every worksheet of the workbook, in the workbook's order (chart sheets and dialog sheets are
 * left out). Throws XlsxError for a file that is not a readable workbook.
 */
export function readWorkbook(bytes: Buffer, limits: ZipLimits = DEFAULT_LIMITS): ReadSheet[] {
  try {
    const zip = openZip(bytes, limits);
    const root = relationships(zip, '');
    const book = [...root.values()].find((r) => REL_OFFICE_DOCUMENT.test(r.type))?.target ?? 'xl/workbook.xml';
    const bookXml = text(zip, book);
    if (bookXml === undefined) throw new XlsxError(`缺少工作簿部件 ${book}，不是 XLSX 工作簿`, `no workbook part ${book}: not an XLSX workbook`);
    const rels = relationships(zip, book);
    const sheets: { name: string; path: string }[] = [];
    let date1904 = false;
    for (const t of tokens(bookXml)) {
      if (!('tag' in t) || t.tag.close) continue;
      if (t.tag.name === 'workbookPr') date1904 = /^(1|true)$/.test(attr(t.tag, 'date1904') ?? '');
      if (t.tag.name !== 'sheet') continue;
      const rel = rels.get(attr(t.tag, 'id') ?? '');
      if (rel && /\/worksheet$/.test(rel.type)) sheets.push({ name: attr(t.tag, 'name') ?? '', path: rel.target });
    }
    const relOf = (suffix: string) => [...rels.values()].find((r) => r.type.endsWith(suffix))?.target;
    const sharedPath = relOf('/sharedStrings');
    const sharedXml = sharedPath ? text(zip, sharedPath) : undefined;
    const shared = sharedXml ? stringItems(sharedXml, 'si') : [];
    const stylesPath = relOf('/styles');
    const dates = dateStyles(stylesPath ? text(zip, stylesPath) : undefined);
    const spread = { cells: 0 };
    return sheets.map((s) => {
      const xml = text(zip, s.path);
      if (xml === undefined) throw new XlsxError(`缺少工作表 ${s.name} 的部件 ${s.path}`, `the part ${s.path} of a sheet is missing`);
      return { name: s.name, rows: readRows(xml, shared, dates, date1904, spread) };
    });
  } catch (error) {
    if (error instanceof ZipError) throw new XlsxError(error.zh, error.en);
    throw error;
  }
}
