/**
 * Writing XLSX workbooks (SpreadsheetML, ECMA-376 part 1): sheets are streamed row by row into
 * the ZIP (zip.ts), so a sheet of any length is written in flat memory; styles, the workbook and
 * its relationships are written last, once every sheet and number format is known.
 *
 * What our files need and nothing more: text as inline strings, numbers with a number format
 * per column or per cell, a bold header row, column widths, a frozen header, an autofilter.
 * Text is written as given: neutralising formulas is the caller's (domain/exports.ts).
 */
import { esc } from './xml';
import { type Sink, ZipWriter } from './zip';

export type CellValue = string | number | boolean | null | undefined;

export interface ColumnSpec {
  /** Width in characters, as Excel counts them. */
  width?: number;
  /** The number format of the column's numbers (`#,##0.00`, `#,##0.00"元"`, `0`…). */
  numFmt?: string;
}

export interface SheetSpec {
  name: string;
  columns?: ColumnSpec[];
  /** The first row stays in view when scrolling. */
  frozenHeader?: boolean;
  /** Filter buttons on the first row, over `columns`. */
  autoFilter?: boolean;
}

export interface RowStyle {
  bold?: boolean;
  /** Per-cell number formats, overriding the column's. */
  numFmts?: (string | undefined)[];
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Excel's built-in formats: written by id, not declared. */
const BUILTIN_FMT: Record<string, number> = { General: 0, '0': 1, '0.00': 2, '#,##0': 3, '#,##0.00': 4, '0%': 9, '0.00%': 10 };
const FIRST_CUSTOM_FMT = 164;
/** Sheet XML is batched to about this many characters before it is deflated. */
const BATCH_CHARS = 64 * 1024;

/** A, B, … Z, AA, AB, … (1-based). */
export function columnLetters(n: number): string {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

/** Cell formats (cellXfs): one per (number format, bold) pair in use; 0 is the default. */
class Styles {
  private readonly fmts = new Map<string, number>();
  private readonly xfs = new Map<string, number>([['0|0', 0]]);
  private readonly list: { fmtId: number; bold: boolean }[] = [{ fmtId: 0, bold: false }];

  xf(numFmt: string | undefined, bold: boolean): number {
    const fmtId = numFmt === undefined ? 0 : this.fmtId(numFmt);
    const key = `${fmtId}|${bold ? 1 : 0}`;
    let i = this.xfs.get(key);
    if (i === undefined) {
      i = this.list.length;
      this.list.push({ fmtId, bold });
      this.xfs.set(key, i);
    }
    return i;
  }

  private fmtId(code: string): number {
    const builtin = BUILTIN_FMT[code];
    if (builtin !== undefined) return builtin;
    let id = this.fmts.get(code);
    if (id === undefined) {
      id = FIRST_CUSTOM_FMT + this.fmts.size;
      this.fmts.set(code, id);
    }
    return id;
  }

  xml(): string {
    const numFmts = [...this.fmts].map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${esc(code)}"/>`).join('');
    const font = (bold: boolean) =>
      `<font>${bold ? '<b/>' : ''}<sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>`;
    const xfs = this.list
      .map(
        (x) =>
          `<xf numFmtId="${x.fmtId}" fontId="${x.bold ? 1 : 0}" fillId="0" borderId="0" xfId="0"${x.fmtId ? ' applyNumberFormat="1"' : ''}${x.bold ? ' applyFont="1"' : ''}/>`,
      )
      .join('');
    return (
      `${XML_DECL}<styleSheet xmlns="${MAIN_NS}">` +
      (this.fmts.size ? `<numFmts count="${this.fmts.size}">${numFmts}</numFmts>` : '') +
      `<fonts count="2">${font(false)}${font(true)}</fonts>` +
      '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${this.list.length}">${xfs}</cellXfs>` +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
      '</styleSheet>'
    );
  }
}

const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** One sheet being written: rows in order, then `close` (or the workbook's next `sheet`/`finish`). */
export interface SheetWriter {
  row(cells: CellValue[], style?: RowStyle): void;
  readonly rows: number;
  /** Characters of sheet XML batched but not yet deflated (not yet in the workbook's bytes). */
  readonly pendingChars: number;
  close(): void;
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ], unique regardless of case. */
function sheetName(name: string, taken: Set<string>): string {
  const clean = name.replace(/[:\\/?*[\]]/g, '_').slice(0, 31) || 'Sheet';
  let candidate = clean;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) candidate = `${clean.slice(0, 31 - String(i).length - 1)}-${i}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

function sheetHead(spec: SheetSpec): string {
  const view = spec.frozenHeader
    ? '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>'
    : '<sheetView workbookViewId="0"/>';
  const cols = (spec.columns ?? [])
    .map((c, i) => (c.width === undefined ? '' : `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`))
    .join('');
  return `${XML_DECL}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetViews>${view}</sheetViews><sheetFormatPr defaultRowHeight="15"/>${cols ? `<cols>${cols}</cols>` : ''}<sheetData>`;
}

/** One row's XML: empty cells left out, numbers with their format, text as inline strings. */
function rowXml(r: number, cells: CellValue[], style: RowStyle | undefined, columns: ColumnSpec[], styles: Styles): string {
  let xml = `<row r="${r}">`;
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    if (v === null || v === undefined || v === '' || (typeof v === 'number' && !Number.isFinite(v))) continue;
    const ref = `${columnLetters(i + 1)}${r}`;
    const numFmt = typeof v === 'number' ? (style?.numFmts?.[i] ?? columns[i]?.numFmt) : undefined;
    const s = numFmt === undefined && !style?.bold ? 0 : styles.xf(numFmt, style?.bold === true);
    const sAttr = s ? ` s="${s}"` : '';
    if (typeof v === 'number') xml += `<c r="${ref}"${sAttr}><v>${v}</v></c>`;
    else if (typeof v === 'boolean') xml += `<c r="${ref}"${sAttr} t="b"><v>${v ? 1 : 0}</v></c>`;
    else xml += `<c r="${ref}"${sAttr} t="inlineStr"><is><t xml:space="preserve">${esc(v)}</t></is></c>`;
  }
  return `${xml}</row>`;
}

export class WorkbookWriter {
  private readonly zip: ZipWriter;
  private readonly styles = new Styles();
  private readonly sheets: { name: string; filter?: string }[] = [];
  private readonly names = new Set<string>();
  private current: SheetWriter | undefined;
  private finished = false;

  constructor(sink: Sink) {
    this.zip = new ZipWriter(sink);
  }

  /** Bytes handed to the sink so far (deflated: what the file will weigh). */
  get bytes(): number {
    return this.zip.bytes;
  }

  sheet(spec: SheetSpec): SheetWriter {
    this.current?.close();
    const index = this.sheets.length + 1;
    const columns = spec.columns ?? [];
    const meta: { name: string; filter?: string } = { name: sheetName(spec.name, this.names) };
    if (spec.autoFilter && columns.length > 0) meta.filter = `A1:${columnLetters(columns.length)}1`;
    this.sheets.push(meta);
    const entry = this.zip.entry(`xl/worksheets/sheet${index}.xml`);
    let pending: string[] = [];
    let pendingChars = 0;
    const push = (xml: string) => {
      pending.push(xml);
      pendingChars += xml.length;
      if (pendingChars >= BATCH_CHARS) flush();
    };
    const flush = () => {
      if (pending.length === 0) return;
      entry.write(pending.join(''));
      pending = [];
      pendingChars = 0;
    };
    push(sheetHead(spec));
    let rows = 0;
    let closed = false;
    const styles = this.styles;
    const writer: SheetWriter = {
      row(cells, style) {
        if (closed) throw new Error(`xlsx: sheet ${meta.name} is closed`);
        rows++;
        push(rowXml(rows, cells, style, columns, styles));
      },
      get rows() {
        return rows;
      },
      get pendingChars() {
        return pendingChars;
      },
      close: () => {
        if (closed) return;
        closed = true;
        push(
          `</sheetData>${meta.filter ? `<autoFilter ref="${meta.filter}"/>` : ''}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`,
        );
        flush();
        entry.close();
        if (this.current === writer) this.current = undefined;
      },
    };
    this.current = writer;
    return writer;
  }

  /** Closes the open sheet and writes the workbook's other parts and the ZIP directory. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.current?.close();
    if (this.sheets.length === 0) this.sheet({ name: 'Sheet1' }).close();
    const n = this.sheets.length;
    const range = (f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i + 1)).join('');
    const quoted = (name: string) => `'${name.replace(/'/g, "''")}'`;
    const filters = this.sheets
      .map((s, i) =>
        s.filter
          ? `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${esc(`${quoted(s.name)}!${s.filter.replace(/([A-Z]+)(\d+)/g, '$$$1$$$2')}`)}</definedName>`
          : '',
      )
      .join('');
    this.zip.file('xl/styles.xml', this.styles.xml());
    this.zip.file(
      'xl/workbook.xml',
      `${XML_DECL}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView/></bookViews><sheets>${this.sheets
        .map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
        .join('')}</sheets>${filters ? `<definedNames>${filters}</definedNames>` : ''}</workbook>`,
    );
    this.zip.file(
      'xl/_rels/workbook.xml.rels',
      `${XML_DECL}<Relationships xmlns="${PKG_REL_NS}">${range(
        (i) => `<Relationship Id="rId${i}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i}.xml"/>`,
      )}<Relationship Id="rId${n + 1}" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`,
    );
    this.zip.file(
      '_rels/.rels',
      `${XML_DECL}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`,
    );
    this.zip.file(
      'docProps/core.xml',
      `${XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jixiao</dc:creator></cp:coreProperties>`,
    );
    this.zip.file(
      '[Content_Types].xml',
      `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${range(
        (i) => `<Override PartName="/xl/worksheets/sheet${i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
      )}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`,
    );
    this.zip.finish();
  }
}

export interface SheetData extends SheetSpec {
  rows: { cells: CellValue[]; style?: RowStyle }[];
}

/** A whole workbook in memory (files of a few thousand rows). */
export function writeWorkbook(sheets: SheetData[]): Buffer {
  const chunks: Buffer[] = [];
  const wb = new WorkbookWriter((c) => chunks.push(c));
  for (const { rows, ...spec } of sheets) {
    const ws = wb.sheet(spec);
    for (const r of rows) ws.row(r.cells, r.style);
  }
  wb.finish();
  return Buffer.concat(chunks);
}
