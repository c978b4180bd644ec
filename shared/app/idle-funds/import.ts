/**
 * Bulk import of idle-fund records from the treasury and bank feeds (CSV or XLSX, one record a
 * row). The whole file is checked first — columns, every cell of every row with the same
 * schema as PUT, ids repeated in the file, departments and projects it names, records already
 * reclaimed — and a file with any problem is refused with a 400 listing every one of them
 * (`rows[7].since`: 7 is the row number the spreadsheet shows) and imports nothing. A good file
 * is then written record by record with the same guarded write as PUT, so sending the same
 * file again changes nothing (every row comes back `unchanged`).
 */
import * as z from '../../domain/zod';
import type { Principal } from '../../domain/access';
import { ConflictError, type FieldProblem, ValidationError } from '../../domain/errors';
import { type IdleKind, type IdleRecord, type InputOf, KIND_INFO, type RecordOf } from '../../domain/idle-records';
import { idSchema } from '../../domain/project';
import { issuesToProblems } from '../../domain/validation';
import type { AppDeps } from '../context';
import { requestHash } from '../ports';
import { readSheet, type Sheet, UnreadableFileError } from './files';
import { nextRecord, writeRecord } from './records';
import { forEachLimit } from '../../domain/concurrency';

export const MAX_IMPORT_ROWS = 20_000;

type ColumnType = 'id' | 'text' | 'year' | 'fen' | 'yuan' | 'date';
interface ColumnSpec {
  /** The field it fills (a `…Yuan` column fills the `…Fen` field). */
  field: string;
  type: ColumnType;
  required: boolean;
  aliases: string[];
}

const DEPT: ColumnSpec = { field: 'deptId', type: 'id', required: true, aliases: ['部门编码', '部门代码', '预算单位编码'] };

/** The columns of each kind's file; headers may be the English names or the Chinese ones. */
export const IMPORT_COLUMNS: Record<IdleKind, Record<string, ColumnSpec>> = {
  carryover: {
    carryoverId: { field: 'carryoverId', type: 'id', required: true, aliases: ['结转资金编号', '编号'] },
    deptId: DEPT,
    originYear: { field: 'originYear', type: 'year', required: true, aliases: ['结转年度', '来源年度'] },
    balanceFen: { field: 'balanceFen', type: 'fen', required: false, aliases: ['余额(分)', '结转余额(分)'] },
    balanceYuan: { field: 'balanceFen', type: 'yuan', required: false, aliases: ['余额(元)', '结转余额(元)', '余额'] },
    projectId: { field: 'projectId', type: 'id', required: false, aliases: ['项目编码', '项目编号'] },
  },
  payable: {
    payableId: { field: 'payableId', type: 'id', required: true, aliases: ['往来款编号', '编号'] },
    deptId: DEPT,
    counterparty: { field: 'counterparty', type: 'text', required: true, aliases: ['往来单位', '对方单位'] },
    amountFen: { field: 'amountFen', type: 'fen', required: false, aliases: ['金额(分)', '挂账金额(分)'] },
    amountYuan: { field: 'amountFen', type: 'yuan', required: false, aliases: ['金额(元)', '挂账金额(元)', '金额'] },
    since: { field: 'since', type: 'date', required: true, aliases: ['挂账日期', '发生日期'] },
  },
  account: {
    accountId: { field: 'accountId', type: 'id', required: true, aliases: ['账户编号', '账号'] },
    deptId: DEPT,
    unitName: { field: 'unitName', type: 'text', required: true, aliases: ['单位名称', '开户单位'] },
    balanceFen: { field: 'balanceFen', type: 'fen', required: false, aliases: ['余额(分)', '账户余额(分)'] },
    balanceYuan: { field: 'balanceFen', type: 'yuan', required: false, aliases: ['余额(元)', '账户余额(元)', '余额'] },
    lastMovementDate: { field: 'lastMovementDate', type: 'date', required: true, aliases: ['最后变动日期', '最后发生日期', '最后交易日期'] },
  },
};

const normalizeHeader = (h: string) => h.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')').toLowerCase();

/** "1234.5" 元 → 123450 fen, exactly (no floating point). */
export function yuanToFen(text: string): number | undefined {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text.replace(/,/g, ''));
  if (!m) return undefined;
  const fen = BigInt(m[1] as string) * 100n + BigInt((m[2] ?? '').padEnd(2, '0') || '0');
  return fen <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(fen) : undefined;
}

/** 2017/3/30, 2017.03.30 and 20170330 are read as 2017-03-30; anything else is left for the schema to refuse. */
export function normalizeDate(text: string): string {
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text);
  if (m) return `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}`;
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  return text;
}

export interface ParsedRow<K extends IdleKind> {
  row: number;
  id: string;
  input: InputOf[K];
}

/**
 * Columns and cells to bodies, and every problem of the file. Pure. `rows` holds each row whose
 * cells are valid (for the checks against the table); the file is good only without problems.
 */
/** Which column is where (by header or alias); what is unknown, repeated or missing goes to `problems`. */
function headerColumns(specs: Record<string, ColumnSpec>, header: string[], problems: FieldProblem[]): Map<string, number> {
  const byHeader = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) {
    byHeader.set(normalizeHeader(name), name);
    for (const alias of spec.aliases) byHeader.set(normalizeHeader(alias), name);
  }
  const columnAt = new Map<string, number>();
  header.forEach((h, i) => {
    if (h === '') return;
    const name = byHeader.get(normalizeHeader(h));
    if (!name) problems.push({ path: 'columns', message: `unknown column "${h}" (expected ${Object.keys(specs).join(', ')})` });
    else if (columnAt.has(name)) problems.push({ path: 'columns', message: `column ${name} appears twice` });
    else columnAt.set(name, i);
  });
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.required && !columnAt.has(name)) problems.push({ path: 'columns', message: `missing column ${name}` });
  }
  const amountColumns = Object.entries(specs)
    .filter(([, s]) => s.type === 'fen' || s.type === 'yuan')
    .map(([n]) => n);
  const givenAmounts = amountColumns.filter((n) => columnAt.has(n));
  if (givenAmounts.length === 0) problems.push({ path: 'columns', message: `missing column ${amountColumns.join(' or ')}` });
  if (givenAmounts.length > 1) problems.push({ path: 'columns', message: `give one of ${givenAmounts.join(', ')}, not both` });
  return columnAt;
}

/** One row's cells as a body for the schema: years and fen as numbers, yuan in fen, dates normalized. */
function rowBody(specs: Record<string, ColumnSpec>, columnAt: Map<string, number>, row: number, cells: string[]) {
  const body: Record<string, unknown> = {};
  const columnOfField = new Map<string, string>();
  const rowProblems: FieldProblem[] = [];
  for (const [name, index] of columnAt) {
    const spec = specs[name] as ColumnSpec;
    const text = (cells[index] ?? '').trim();
    columnOfField.set(spec.field, name);
    if (text === '') continue;
    switch (spec.type) {
      case 'year':
      case 'fen':
        body[spec.field] = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
        break;
      case 'yuan': {
        const fen = yuanToFen(text);
        if (fen === undefined) rowProblems.push({ path: `rows[${row}].${name}`, message: `"${text}" is not an amount in yuan with at most 2 decimals` });
        else body[spec.field] = fen;
        break;
      }
      case 'date':
        body[spec.field] = normalizeDate(text);
        break;
      default:
        body[spec.field] = text;
    }
  }
  return { body, columnOfField, rowProblems };
}

export function parseRows<K extends IdleKind>(kind: K, sheet: Sheet): { rows: ParsedRow<K>[]; problems: FieldProblem[] } {
  const specs = IMPORT_COLUMNS[kind];
  const idField = KIND_INFO[kind].idField;
  const problems: FieldProblem[] = [];
  const columnAt = headerColumns(specs, sheet.header, problems);
  if (sheet.header.length === 0) return { rows: [], problems: [{ path: 'file', message: 'the file is empty: expected a header row and one record a row' }] };
  if (problems.length > 0) return { rows: [], problems };
  if (sheet.rows.length === 0) return { rows: [], problems: [{ path: 'file', message: 'the file has a header but no records' }] };
  if (sheet.rows.length > MAX_IMPORT_ROWS) {
    return { rows: [], problems: [{ path: 'file', message: `at most ${MAX_IMPORT_ROWS} records a file; this one has ${sheet.rows.length}` }] };
  }

  const schema = z.extend(KIND_INFO[kind].schema as z.ZodMiniObject, { [idField]: idSchema });
  const rows: ParsedRow<K>[] = [];
  const firstRowOf = new Map<string, number>();
  for (const { row, cells } of sheet.rows) {
    const { body, columnOfField, rowProblems } = rowBody(specs, columnAt, row, cells);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      for (const p of issuesToProblems(parsed.error.issues)) {
        const field = p.path.split(/[.[]/)[0] as string;
        // Name the column as the file has it (a Yuan column fills the Fen field).
        const column = columnOfField.get(field) ?? field;
        if (!rowProblems.some((q) => q.path === `rows[${row}].${column}`)) rowProblems.push({ path: `rows[${row}].${column}`, message: p.message });
      }
    }
    const id = String(body[idField] ?? '');
    if (id) {
      const first = firstRowOf.get(id);
      if (first !== undefined) rowProblems.push({ path: `rows[${row}].${idField}`, message: `${id} is also on row ${first}` });
      else firstRowOf.set(id, row);
    }
    problems.push(...rowProblems);
    // A repeated id still has its references checked, so that one pass lists everything.
    if (parsed.success && rowProblems.every((p) => p.path === `rows[${row}].${idField}`)) {
      const { [idField]: _id, ...input } = parsed.data as Record<string, unknown>;
      rows.push({ row, id, input: input as unknown as InputOf[K] });
    }
  }
  return { rows, problems };
}

export interface ImportResult {
  kind: IdleKind;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
}

export async function importRecords<K extends IdleKind>(
  deps: AppDeps,
  actor: Principal,
  kind: K,
  bytes: Buffer | undefined,
  contentType: string | undefined,
): Promise<ImportResult> {
  if (!bytes || bytes.byteLength === 0) throw new ValidationError([{ path: 'file', message: 'the body is empty: send a CSV or XLSX file' }]);
  let sheet: Sheet;
  try {
    sheet = await readSheet(bytes, contentType);
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new ValidationError([{ path: 'file', message: error.message }]);
    throw error;
  }
  const { rows, problems } = parseRows(kind, sheet);

  // What the rows refer to, read once for the whole file.
  const repo = deps.repos.idleFunds;
  const [known, existing, projects] = await Promise.all([
    repo.departmentIds(),
    repo.getMany(
      kind,
      rows.map((r) => r.id),
    ),
    kind === 'carryover'
      ? repo.projectDepartments(rows.map((r) => (r.input as InputOf['carryover']).projectId).filter((p): p is string => !!p))
      : Promise.resolve(new Map<string, string>()),
  ]);
  const plan = checkRows(kind, rows, { known, existing, projects }, problems);
  if (problems.length > 0) {
    problems.sort((a, b) => rowOf(a.path) - rowOf(b.path));
    throw new ValidationError(problems, `The file has ${problems.length} problem(s); nothing was imported`);
  }

  const result: ImportResult = { kind, rows: rows.length, created: 0, updated: 0, unchanged: 0 };
  const failed: string[] = [];
  await forEachLimit(plan, 8, async (item) => {
    const outcome = await writeRow(deps, actor, kind, item.row, item.current, item.hash);
    if (outcome === 'failed') failed.push(item.row.id);
    else result[outcome]++;
  });
  if (failed.length > 0) {
    throw new ConflictError(
      'CONCURRENT_UPDATE',
      `${failed.length} record(s) changed while the file was imported (${failed.slice(0, 20).join(', ')}); the others were imported — send the file again to finish (rows already in are unchanged)`,
    );
  }
  return result;
}

/** Every row checked against what it refers to; problems are added to `problems`. */
function checkRows<K extends IdleKind>(
  kind: K,
  rows: ParsedRow<K>[],
  refs: { known: Set<string>; existing: Map<string, RecordOf[K]>; projects: Map<string, string> },
  problems: FieldProblem[],
): { row: ParsedRow<K>; current: RecordOf[K] | undefined; hash: string }[] {
  const { known, existing, projects } = refs;
  const plan: { row: ParsedRow<K>; current: RecordOf[K] | undefined; hash: string }[] = [];
  for (const r of rows) {
    const hash = requestHash(r.input);
    const current = existing.get(r.id);
    if (!known.has(r.input.deptId)) problems.push({ path: `rows[${r.row}].deptId`, message: `no department ${r.input.deptId}` });
    const projectId = kind === 'carryover' ? (r.input as InputOf['carryover']).projectId : undefined;
    if (projectId) {
      const projectDept = projects.get(projectId);
      if (!projectDept) problems.push({ path: `rows[${r.row}].projectId`, message: `no project ${projectId}` });
      else if (projectDept !== r.input.deptId)
        problems.push({ path: `rows[${r.row}].projectId`, message: `project ${projectId} belongs to another department` });
    }
    if (current && current.status === 'reclaimed' && current.requestHash !== hash) {
      problems.push({
        path: `rows[${r.row}].${KIND_INFO[kind].idField}`,
        message: `${r.id} was reclaimed as of ${current.reclaimed?.asOf} (deduction ${current.reclaimed?.deductionId}) and cannot be changed; new money needs a new id`,
      });
    }
    plan.push({ row: r, current, hash });
  }
  return plan;
}

const rowOf = (path: string) => Number(/^rows\[(\d+)\]/.exec(path)?.[1] ?? 0);

async function writeRow<K extends IdleKind>(
  deps: AppDeps,
  actor: Principal,
  kind: K,
  row: ParsedRow<K>,
  first: RecordOf[K] | undefined,
  hash: string,
): Promise<'created' | 'updated' | 'unchanged' | 'failed'> {
  let current = first;
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (current?.requestHash === hash) return 'unchanged';
    if (current?.status === 'reclaimed') return 'failed';
    const next = nextRecord(kind, row.id, row.input, current, actor.sub, deps.clock.now().toISOString(), hash);
    if (await writeRecord(deps, next as IdleRecord, current, actor.sub, `${kind}.imported`)) return current ? 'updated' : 'created';
    current = await deps.repos.idleFunds.get(kind, row.id);
  }
  return 'failed';
}
