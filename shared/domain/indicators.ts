/**
 * The indicator library (指标库, SPEC §2; 财预〔2021〕101号): three levels, a direction, a unit,
 * an optional benchmark, and a scope — `general` (共性, grouped in categories) or `core`
 * (部门核心, keyed by domain → category → fund use).
 *
 * The library is kept in the current (2021) framework, where cost (成本) is a level-1
 * indicator. Years before 2021 used the older framework, where cost sat under output (产出) as
 * a level-2; `readAs(year, …)` gives an indicator as a target of that year reads it.
 *
 * Pure: rows come in as strings (from CSV cells or XLSX cells), problems go out with the
 * spreadsheet row number and the column name.
 */
import type { FieldProblem } from './errors';
import {
  canonicalDirection,
  canonicalLevel1,
  canonicalLevel2,
  canonicalScope,
  DIRECTIONS,
  type Direction,
  LEVEL1,
  LEVEL2,
  type Level1,
  PRE_2021_OUTPUT_COST,
  type Scope,
} from './vocabulary';

export { DIRECTIONS, LEVEL1, LEVEL1_ZH, LEVEL2, PRE_2021_OUTPUT_COST, SCOPES } from './vocabulary';
export type { Direction, Level1, Scope } from './vocabulary';

export type Taxonomy = '2021' | 'pre-2021';
/** 财预〔2021〕101号 made cost a level-1 indicator from the 2021 budgets on. */
export const FRAMEWORK_2021_FIRST_YEAR = 2021;

export function taxonomyOf(year: number): Taxonomy {
  return year >= FRAMEWORK_2021_FIRST_YEAR ? '2021' : 'pre-2021';
}

export function isLevel2Of(level1: Level1, level2: string, taxonomy: Taxonomy = '2021'): boolean {
  if (taxonomy === 'pre-2021') {
    if (level1 === 'cost') return false;
    if (level1 === 'output' && level2 === PRE_2021_OUTPUT_COST.code) return true;
  }
  return LEVEL2[level1].some((l) => l.code === level2);
}

export function level2Codes(level1: Level1, taxonomy: Taxonomy = '2021'): string[] {
  const codes = LEVEL2[level1].map((l) => l.code);
  if (taxonomy === 'pre-2021') {
    if (level1 === 'cost') return [];
    if (level1 === 'output') codes.push(PRE_2021_OUTPUT_COST.code);
  }
  return codes;
}

/**
 * How a target of `year` reads an indicator of the 2021 library: before 2021 a cost indicator
 * is an output indicator of level-2 `cost` (its cost kind has no place in that framework).
 */
export function readAs(year: number, level1: Level1, level2: string): { level1: Level1; level2: string } {
  if (taxonomyOf(year) === 'pre-2021' && level1 === 'cost') return { level1: 'output', level2: PRE_2021_OUTPUT_COST.code };
  return { level1, level2 };
}

export interface Indicator {
  code: string;
  scope: Scope;
  category: string;
  /** Core indicators only. */
  domain?: string;
  /** Core indicators only. */
  fundUse?: string;
  level1: Level1;
  level2: string;
  name: string;
  /** Required for quantitative indicators. */
  unit?: string;
  direction: Direction;
  /** A reference value (标杆值) for quantitative indicators. */
  benchmark?: number;
}

/** The file columns, in order; every file (CSV or XLSX) has them as its header row. */
export const COLUMNS = ['code', 'scope', 'category', 'domain', 'fundUse', 'level1', 'level2', 'name', 'unit', 'direction', 'benchmark'] as const;
export type Column = (typeof COLUMNS)[number];
export const REQUIRED_COLUMNS: readonly Column[] = ['code', 'scope', 'category', 'level1', 'level2', 'name', 'direction'];

/** Chinese header names accepted on import, for files a bureau keeps in Chinese. */
const COLUMN_ALIASES: Record<string, Column> = {
  编码: 'code',
  指标编码: 'code',
  代码: 'code',
  范围: 'scope',
  指标范围: 'scope',
  类别: 'category',
  行业类别: 'category',
  指标类别: 'category',
  领域: 'domain',
  行业领域: 'domain',
  资金用途: 'fundUse',
  一级指标: 'level1',
  二级指标: 'level2',
  名称: 'name',
  指标名称: 'name',
  三级指标: 'name',
  单位: 'unit',
  计量单位: 'unit',
  方向: 'direction',
  指标方向: 'direction',
  标杆值: 'benchmark',
  参考值: 'benchmark',
};

/** The column a header cell names, or undefined. */
export function columnOf(header: string): Column | undefined {
  const h = header.trim().replace(/^\uFEFF/, '');
  const exact = COLUMNS.find((c) => c.toLowerCase() === h.toLowerCase());
  return exact ?? COLUMN_ALIASES[h];
}

export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const NUMBER_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
export const MAX_IMPORT_ROWS = 20_000;

/** One data row of a file: the cells by column, as text. */
export type RawRow = Partial<Record<Column, string>>;

/**
 * Checks one row and gives the indicator, or every problem of the row. `row` is the
 * spreadsheet row number (the header is row 1), so a problem reads "rows[7].level2".
 */
export function parseRow(raw: RawRow, row: number): { indicator?: Indicator; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const at = (column: Column) => `rows[${row}].${column}`;
  const cell = (column: Column) => (raw[column] ?? '').trim();
  const problem = (column: Column, message: string) => problems.push({ path: at(column), message });

  const code = cell('code');
  if (!code) problem('code', 'is required');
  else if (!CODE_PATTERN.test(code)) problem('code', 'use up to 64 letters, digits, dot, underscore and hyphen');

  const scopeText = cell('scope');
  const scope = canonicalScope(scopeText);
  if (!scope) problem('scope', `"${scopeText}" is not general or core`);

  const text = (column: Column, max: number, required: boolean) => {
    const v = cell(column);
    if (!v && required) problem(column, 'is required');
    if (v.length > max) problem(column, `is longer than ${max} characters`);
    // '#' separates the parts of the index keys; a name never needs it.
    if (v.includes('#')) problem(column, 'must not contain #');
    return v;
  };
  const category = text('category', 100, true);
  const domain = text('domain', 100, scope === 'core');
  const fundUse = text('fundUse', 100, scope === 'core');
  if (scope === 'general') {
    if (domain) problem('domain', 'a general indicator has no domain');
    if (fundUse) problem('fundUse', 'a general indicator has no fund use');
  }

  const level1Text = cell('level1');
  const level1 = canonicalLevel1(level1Text);
  if (!level1) problem('level1', `"${level1Text}" is not one of ${LEVEL1.join(', ')}`);
  const level2Text = cell('level2');
  let level2: string | undefined;
  if (level1) {
    level2 = canonicalLevel2(level1, level2Text);
    if (!level2) {
      const hint =
        level1 === 'output' && (level2Text === 'cost' || level2Text.startsWith('成本'))
          ? ': in the 2021 framework cost is a level-1 indicator (level1 cost)'
          : '';
      problem('level2', `"${level2Text}" is not a level-2 of ${level1} (${level2Codes(level1).join(', ')})${hint}`);
    }
  }

  const name = text('name', 200, true);
  const unit = text('unit', 20, false);

  const directionText = cell('direction');
  const direction = canonicalDirection(directionText);
  if (!direction) problem('direction', `"${directionText}" is not one of ${DIRECTIONS.join(' ')}`);
  if (direction && direction !== 'qualitative' && !unit) problem('unit', 'a quantitative indicator needs a unit');

  const benchmarkText = cell('benchmark');
  let benchmark: number | undefined;
  if (benchmarkText) {
    if (direction === 'qualitative') problem('benchmark', 'a qualitative indicator has no benchmark value');
    else if (!NUMBER_PATTERN.test(benchmarkText) || !Number.isFinite(Number(benchmarkText))) problem('benchmark', `"${benchmarkText}" is not a number`);
    else benchmark = Number(benchmarkText);
  }

  if (problems.length > 0 || !scope || !level1 || !level2 || !direction) return { problems };
  const indicator: Indicator = { code, scope, category, level1, level2, name, direction };
  if (scope === 'core') {
    indicator.domain = domain;
    indicator.fundUse = fundUse;
  }
  if (unit) indicator.unit = unit;
  if (benchmark !== undefined) indicator.benchmark = benchmark;
  return { indicator, problems };
}

/**
 * Checks a whole file's rows: the header must name every required column, codes must be
 * unique. Either every row is good and the indicators come back, or every problem does.
 */
export function parseRows(header: string[], rows: { row: number; cells: string[] }[]): { indicators: Indicator[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const position = new Map<Column, number>();
  header.forEach((h, i) => {
    const column = columnOf(h);
    if (!column) return;
    if (position.has(column))
      problems.push({ path: `header.${column}`, message: `the column appears twice (columns ${position.get(column)! + 1} and ${i + 1})` });
    else position.set(column, i);
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!position.has(column)) problems.push({ path: `header.${column}`, message: `the column ${column} is missing` });
  }
  if (problems.length > 0) return { indicators: [], problems };
  if (rows.length === 0) return { indicators: [], problems: [{ path: 'rows', message: 'the file has no indicator rows' }] };
  if (rows.length > MAX_IMPORT_ROWS) {
    return { indicators: [], problems: [{ path: 'rows', message: `the file has ${rows.length} rows; at most ${MAX_IMPORT_ROWS} are accepted at once` }] };
  }

  const indicators: Indicator[] = [];
  const firstRowOf = new Map<string, number>();
  for (const { row, cells } of rows) {
    const raw: RawRow = {};
    for (const [column, i] of position) raw[column] = cells[i] ?? '';
    const parsed = parseRow(raw, row);
    problems.push(...parsed.problems);
    const code = (raw.code ?? '').trim();
    if (code) {
      const first = firstRowOf.get(code);
      if (first !== undefined) problems.push({ path: `rows[${row}].code`, message: `${code} is already on row ${first}` });
      else firstRowOf.set(code, row);
    }
    if (parsed.indicator) indicators.push(parsed.indicator);
  }
  return problems.length > 0 ? { indicators: [], problems } : { indicators, problems };
}

/** The cells of an indicator, in column order, as a file writes them. */
export function toCells(i: Indicator): string[] {
  return [
    i.code,
    i.scope,
    i.category,
    i.domain ?? '',
    i.fundUse ?? '',
    i.level1,
    i.level2,
    i.name,
    i.unit ?? '',
    i.direction,
    i.benchmark === undefined ? '' : String(i.benchmark),
  ];
}

/** Same content? (what an import compares to decide whether a row changes anything) */
export function sameIndicator(a: Indicator, b: Indicator): boolean {
  return toCells(a).join('\u0000') === toCells(b).join('\u0000');
}

/** The library's shape, the figures SPEC §2 and the annual report quote. */
export interface LibraryStats {
  total: number;
  general: number;
  generalCategories: number;
  core: number;
  domains: number;
  coreCategories: number;
  fundUses: number;
  byLevel1: Record<Level1, number>;
}

export function libraryStats(indicators: Iterable<Indicator>): LibraryStats {
  const generalCategories = new Set<string>();
  const domains = new Set<string>();
  const coreCategories = new Set<string>();
  const fundUses = new Set<string>();
  const byLevel1: Record<Level1, number> = { cost: 0, output: 0, benefit: 0, satisfaction: 0 };
  let general = 0;
  let core = 0;
  for (const i of indicators) {
    byLevel1[i.level1] += 1;
    if (i.scope === 'general') {
      general += 1;
      generalCategories.add(i.category);
    } else {
      core += 1;
      domains.add(i.domain ?? '');
      // A category is counted within its domain, a fund use within its category.
      coreCategories.add(`${i.domain}#${i.category}`);
      fundUses.add(`${i.domain}#${i.category}#${i.fundUse}`);
    }
  }
  return {
    total: general + core,
    general,
    generalCategories: generalCategories.size,
    core,
    domains: domains.size,
    coreCategories: coreCategories.size,
    fundUses: fundUses.size,
    byLevel1,
  };
}

// ------------------------------------------------------------------ imports (stored shapes)

export type FileFormat = 'csv' | 'xlsx';

export interface ImportSummary {
  importId: string;
  format: FileFormat;
  mode: 'merge' | 'replace';
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  fileHash: string;
  at: string;
  by: string;
}

/** The library's figures and last import (one item). */
export interface LibraryMeta {
  stats: LibraryStats;
  version: number;
  lastImport?: ImportSummary;
  updatedAt: string;
}

/** What an import writes: new or changed indicators, and the previous content of each changed or deleted one. */
export interface LibraryChanges {
  importId: string;
  at: string;
  by: string;
  puts: Indicator[];
  history: { before: Indicator; change: 'updated' | 'deleted' }[];
  deletes: string[];
}

/** A filter over the library by its hierarchy. */
export interface IndicatorFilter {
  scope?: Scope;
  level1?: Level1;
  domain?: string;
  category?: string;
  fundUse?: string;
}
