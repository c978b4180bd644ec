import { describe, expect, it } from 'vitest';
import { decodeText, parseCsv, readCsv, readXlsx, writeCsv, writeXlsx } from '../../shared/app/indicator-files';
import { COLUMNS, type Indicator, libraryStats, parseRows, readAs, taxonomyOf } from '../../shared/domain/indicators';

const general: Indicator = {
  code: 'G-001',
  scope: 'general',
  category: '项目管理',
  level1: 'output',
  level2: 'quality',
  name: '验收合格率',
  unit: '%',
  direction: '>=',
  benchmark: 98.5,
};
const core: Indicator = {
  code: 'K.edu.001',
  scope: 'core',
  category: '基础教育',
  domain: '教育',
  fundUse: '校舍维修, "改造"',
  level1: 'satisfaction',
  level2: 'service-object',
  name: '家长满意度\n（抽样）',
  unit: '%',
  direction: '>=',
};
const qualitative: Indicator = {
  code: 'G-002',
  scope: 'general',
  category: '政策类',
  level1: 'benefit',
  level2: 'sustainable',
  name: '长效机制建立情况',
  direction: 'qualitative',
};
const cost: Indicator = {
  code: 'G-003',
  scope: 'general',
  category: '项目管理',
  level1: 'cost',
  level2: 'economic',
  name: '单位成本',
  unit: '元',
  direction: '<=',
  benchmark: -0.25,
};

const rows = (cells: string[][]) => cells.map((c, i) => ({ row: i + 2, cells: c }));
const header = [...COLUMNS];

describe('library rows', () => {
  it('reads good rows, with Chinese headers and values as a bureau keeps them', () => {
    const out = parseRows(
      ['编码', '范围', '类别', '行业领域', '资金用途', '一级指标', '二级指标', '指标名称', '计量单位', '指标方向', '标杆值'],
      rows([
        ['G-001', '共性', '项目管理', '', '', '产出指标', '质量指标', '验收合格率', '%', '≥', '98.5'],
        ['G-002', 'general', '政策类', '', '', 'benefit', 'sustainable', '长效机制建立情况', '', '定性', ''],
      ]),
    );
    expect(out.problems).toEqual([]);
    expect(out.indicators).toEqual([general, qualitative]);
  });

  it('names every bad row and column, and returns no indicator when any row is bad', () => {
    const out = parseRows(
      header,
      rows([
        ['G-001', 'general', '项目管理', '', '', 'output', 'quality', '验收合格率', '%', '>=', '98.5'],
        ['', 'both', '', '', '', 'outcome', '', '', '', 'up', ''],
        ['G-001', 'core', '基础教育', '', '', 'output', 'cost', '成本', '元', '<=', 'abc'],
        ['G-9', 'general', '项目管理', '教育', '', 'benefit', 'social', '受益人数', '', '>=', ''],
        ['G#10', 'general', '项目#管理', '', '', 'satisfaction', 'service-object', '满意度', '%', 'qualitative', '90'],
      ]),
    );
    expect(out.indicators).toEqual([]);
    expect(out.problems.map((p) => p.path)).toEqual([
      'rows[3].code',
      'rows[3].scope',
      'rows[3].category',
      'rows[3].level1',
      'rows[3].name',
      'rows[3].direction',
      'rows[4].domain',
      'rows[4].fundUse',
      'rows[4].level2',
      'rows[4].benchmark',
      'rows[4].code',
      'rows[5].domain',
      'rows[5].unit',
      'rows[6].code',
      'rows[6].category',
      'rows[6].benchmark',
    ]);
    expect(out.problems.find((p) => p.path === 'rows[4].level2')?.message).toContain('cost is a level-1');
    expect(out.problems.find((p) => p.path === 'rows[4].code')?.message).toBe('G-001 is already on row 2');
  });

  it('refuses a header without the required columns, and an empty file', () => {
    expect(parseRows(['code', 'name', 'unit'], rows([['a', 'b', 'c']])).problems.map((p) => p.path)).toEqual([
      'header.scope',
      'header.category',
      'header.level1',
      'header.level2',
      'header.direction',
    ]);
    expect(parseRows(header, []).problems).toEqual([{ path: 'rows', message: 'the file has no indicator rows' }]);
  });
});

describe('CSV', () => {
  it('parses RFC 4180: quotes, doubled quotes, commas and line breaks inside fields, CRLF', () => {
    expect(parseCsv('a,"b,c","d ""e""","f\r\ng"\r\n1,2,3,4\n')).toEqual([
      ['a', 'b,c', 'd "e"', 'f\r\ng'],
      ['1', '2', '3', '4'],
    ]);
  });

  it('reads UTF-8 with a BOM, and GB18030 (what Excel on Chinese Windows saves)', () => {
    expect(decodeText(Buffer.from('\uFEFF指标', 'utf8'))).toBe('指标');
    expect(decodeText(Buffer.from([0xd6, 0xb8, 0xb1, 0xea]))).toBe('指标');
  });

  it('round-trips the library exactly: write → read → the same indicators', () => {
    const bytes = writeCsv([general, core, qualitative, cost]);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const table = readCsv(bytes);
    expect(table.header).toEqual([...COLUMNS]);
    expect(table.rows.map((r) => r.row)).toEqual([2, 3, 4, 5]);
    expect(parseRows(table.header, table.rows)).toEqual({ indicators: [general, core, qualitative, cost], problems: [] });
  });
});

describe('XLSX (exceljs)', () => {
  it('round-trips the library exactly, and reads the indicators sheet whatever comes first', async () => {
    const bytes = await writeXlsx([general, core, qualitative, cost]);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const table = await readXlsx(bytes);
    expect(table.header).toEqual([...COLUMNS]);
    expect(parseRows(table.header, table.rows)).toEqual({ indicators: [general, core, qualitative, cost], problems: [] });
  });

  it('says so when the file is not a workbook', async () => {
    await expect(readXlsx(Buffer.from('PK\u0003\u0004 not really a zip'))).rejects.toThrow(/not an XLSX/);
  });
});

describe('taxonomy and figures', () => {
  it('chooses the framework by year: before 2021 cost is read as output → cost', () => {
    expect(taxonomyOf(2020)).toBe('pre-2021');
    expect(taxonomyOf(2021)).toBe('2021');
    expect(readAs(2020, 'cost', 'economic')).toEqual({ level1: 'output', level2: 'cost' });
    expect(readAs(2021, 'cost', 'economic')).toEqual({ level1: 'cost', level2: 'economic' });
    expect(readAs(2019, 'benefit', 'social')).toEqual({ level1: 'benefit', level2: 'social' });
  });

  it('counts categories within domains and fund uses within categories', () => {
    const a = { ...core, code: 'a' };
    const b = { ...core, code: 'b', fundUse: '设备购置' };
    const c = { ...core, code: 'c', domain: '卫生', category: '基础教育' };
    expect(libraryStats([general, qualitative, cost, a, b, c])).toEqual({
      total: 6,
      general: 3,
      generalCategories: 2,
      core: 3,
      domains: 2,
      coreCategories: 2,
      fundUses: 3,
      byLevel1: { cost: 1, output: 1, benefit: 1, satisfaction: 3 },
    });
  });
});
