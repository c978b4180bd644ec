/**
 * Chinese first (issue 12 items 2 and 3): a 400 (and 401, 403, 404, 409) reads in Chinese by
 * default and in English on `Accept-Language: en`, with the same codes and paths; lint speaks
 * the same way; and what people type in Chinese — level-1/level-2 names, ≥ ≤ =, categories and
 * fund sources — is accepted by a project, a target and the indicator import, and answered
 * with the canonical codes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { call, dept, performance, type Res, setupTable } from '../support/harness';

const ZH = { 'accept-language': '' };
const EN = { 'accept-language': 'en-US,en;q=0.9' };

const LIBRARY = [
  '指标编码,指标范围,类别,行业领域,资金用途,一级指标,二级指标,指标名称,计量单位,指标方向,标杆值',
  'Z-OUT,共性指标,培训类,,,产出,数量,培训人次,人次,≥,100',
  'Z-BEN,共性,培训类,,,效益指标,社会效益指标,受益人数,人,≥,',
  'Z-COST,核心指标,培训类,教育,师资培训,成本,经济成本,人均成本,元/人,≤,600',
  'Z-QUAL,共性,培训类,,,满意度,服务对象满意度,群众评价,,定性,',
].join('\n');

beforeAll(async () => {
  await setupTable();
  expect((await call(performance, 'PUT', '/v1/departments/Z1', { name: '中文局', contactEmails: ['z1@xm.gov.cn'] })).status).toBe(201);
  const imported = await call(performance, 'POST', '/v1/indicators/import', LIBRARY, { 'content-type': 'text/csv' });
  expect(imported.status).toBe(200);
});

describe('Accept-Language: Chinese by default, English when asked; codes and paths the same', () => {
  const cases: { name: string; status: number; run: (h: Record<string, string>) => Promise<Res> }[] = [
    { name: 'body', status: 400, run: (h) => call(performance, 'POST', '/v1/projects', { projectId: 'Z-9', year: 1999, deptId: 'Z1', level: 3 }, h) },
    { name: 'query', status: 400, run: (h) => call(performance, 'GET', '/v1/projects?year=abc', undefined, h) },
    { name: 'domain problem', status: 400, run: (h) => call(performance, 'PUT', '/v1/policies/2020', { exAnte: { weights: { standard: 50 } } }, h) },
    { name: 'no token', status: 401, run: (h) => call(null, 'GET', '/v1/projects?year=2020', undefined, h) },
    { name: 'role', status: 403, run: (h) => call(dept('Z1'), 'PUT', '/v1/policies/2020', {}, h) },
    { name: 'not found', status: 404, run: (h) => call(performance, 'GET', '/v1/projects/NOPE', undefined, h) },
  ];

  for (const c of cases) {
    it(`${c.name}: ${c.status}`, async () => {
      const [zh, en, zhCN, other] = await Promise.all([
        c.run(ZH),
        c.run(EN),
        c.run({ 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' }),
        c.run({ 'accept-language': 'fr-FR' }),
      ]);
      expect([zh.status, en.status]).toEqual([c.status, c.status]);
      expect(zh.body.error.code).toBe(en.body.error.code);
      const paths = (r: typeof zh) => (r.body.error.details ?? []).map((d: { path: string }) => d.path);
      expect(paths(zh)).toEqual(paths(en));
      expect(zh.body.error.message).toMatch(/[\u4e00-\u9fff]/);
      expect(en.body.error.message).not.toMatch(/[\u4e00-\u9fff]/);
      for (const d of zh.body.error.details ?? []) expect(d.message).toMatch(/[\u4e00-\u9fff]/);
      // English words (an enum's options may list the Chinese words it accepts)
      for (const d of en.body.error.details ?? []) expect(d.message).toMatch(/^[A-Za-z"]/);
      expect(zhCN.body).toEqual(zh.body);
      expect(other.body).toEqual(zh.body);
    });
  }

  it('says exactly what zod and our table say', async () => {
    const zh = await cases[0]!.run(ZH);
    expect(zh.body.error.message).toBe('请求内容有误');
    const byPath = Object.fromEntries(zh.body.error.details.map((d: { path: string; message: string }) => [d.path, d.message]));
    expect(byPath['body.year']).toBe('数值过小：期望 number >=2000');
    expect(byPath['body.name']).toBe('无效输入：期望 string，实际接收 undefined');
    const en = await cases[0]!.run(EN);
    expect(en.body.error.message).toBe('The request is not valid');
    const policy = await cases[2]!.run(ZH);
    expect(policy.body.error.details).toEqual([{ path: 'body.exAnte.weights', message: '权重之和须为 100' }]);
    expect((await cases[5]!.run(ZH)).body.error.message).toBe('未找到项目 NOPE');
  });
});

describe('Chinese input, answered with codes', () => {
  it('takes a project’s category and fund source by their Chinese names', async () => {
    const res = await call(performance, 'POST', '/v1/projects', {
      projectId: 'Z-P1',
      year: 2022,
      deptId: 'Z1',
      level: 1,
      name: '教师培训',
      category: '运转保障',
      domain: '教育',
      fundSource: '一般公共预算',
      budgetFen: 10_000_000,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ category: 'operations', fundSource: 'general' });
    const bad = await call(
      performance,
      'POST',
      '/v1/projects',
      { projectId: 'Z-P2', year: 2022, deptId: 'Z1', level: 1, name: 'x', category: '火箭', domain: '教育', fundSource: '一般', budgetFen: 0 },
      ZH,
    );
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.category', 'body.fundSource']);
  });

  it('imports a library written in Chinese as codes', async () => {
    const res = await call(performance, 'GET', '/v1/indicators?limit=10');
    const byCode = Object.fromEntries(res.body.items.map((i: { code: string }) => [i.code, i]));
    expect(byCode['Z-OUT']).toMatchObject({ scope: 'general', level1: 'output', level2: 'quantity', direction: '>=', benchmark: 100 });
    expect(byCode['Z-BEN']).toMatchObject({ level1: 'benefit', level2: 'social', direction: '>=' });
    expect(byCode['Z-COST']).toMatchObject({ scope: 'core', level1: 'cost', level2: 'economic', direction: '<=' });
    expect(byCode['Z-QUAL']).toMatchObject({ level1: 'satisfaction', level2: 'service-object', direction: 'qualitative' });
    const filtered = await call(performance, 'GET', `/v1/indicators?level1=${encodeURIComponent('产出指标')}&scope=${encodeURIComponent('共性')}`);
    expect(filtered.body.items.map((i: { code: string }) => i.code)).toEqual(['Z-OUT']);
  });

  it('saves a target written the way the spec writes it, with canonical codes, and lints in Chinese', async () => {
    const body = {
      goal: '完成年度培训任务',
      indicators: [
        { level1: '产出', level2: '数量', name: '培训人次', unit: '人次', direction: '≥', targetValue: 1000 },
        { level1: '产出指标', level2: '时效指标', name: '完成时限', unit: '天', direction: '≤', targetValue: 30 },
        { code: 'Z-OUT', level1: '产出', level2: '数量指标', direction: '>=', targetValue: 120 },
        { level1: '满意度', level2: '服务对象满意度', name: '学员满意度', unit: '%', direction: '=', targetValue: 95 },
      ],
    };
    const zh = await call(dept('Z1'), 'PUT', '/v1/projects/Z-P1/target', body, ZH);
    expect(zh.status).toBe(201);
    expect(zh.body.indicators.map((i: { level1: string; level2: string; direction: string }) => [i.level1, i.level2, i.direction])).toEqual([
      ['output', 'quantity', '>='],
      ['output', 'timeliness', '<='],
      ['output', 'quantity', '>='],
      ['satisfaction', 'service-object', '='],
    ]);
    expect(zh.body.lint).toEqual([{ code: 'NO_BENEFIT', path: 'indicators', message: '至少需要一个效益指标', severity: 'error' }]);
    const en = await call(dept('Z1'), 'GET', '/v1/projects/Z-P1/target', undefined, EN);
    expect(en.body.lint).toEqual([
      { code: 'NO_BENEFIT', path: 'indicators', message: 'at least one benefit indicator (效益指标) is needed', severity: 'error' },
    ]);
    const wrong = await call(
      dept('Z1'),
      'PUT',
      '/v1/projects/Z-P1/target',
      { goal: 'x', indicators: [{ level1: '产出', level2: '社会效益', name: 'n', direction: '≈' }] },
      ZH,
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.indicators[0].direction']);
  });
});
