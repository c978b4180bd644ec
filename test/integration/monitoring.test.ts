/**
 * Monitoring (SPEC §3.5): reports, the snapshot job, suspension and its lifting, reminders —
 * through the real handlers against DynamoDB Local, with the figures worked out by hand below.
 *
 * 2020, defaults (06-30: 5000 bp, 09-30: 7500 bp, red gap 2000, deviation 1000):
 *
 * | project | dept | budget     | spent by 06-30 | report 06-30                    | light  | flags                               |
 * |---------|------|-----------:|---------------:|---------------------------------|--------|-------------------------------------|
 * | MA-1    | MA   |  1,000,000 |   500,000 5000 | certain, 60 of 100 (6000)        | green  | (deviation exactly 1000)            |
 * | MA-2    | MA   |  2,000,000 |   599,999 2999 | certain                         | red    | PROGRESS_RED_GAP, BELOW_BENCHMARK   |
 * | MA-3    | MA   |  3,000,000 | 1,200,000 4000 | possible                        | yellow | OUTLOOK_POSSIBLE, BELOW_BENCHMARK   |
 * | MA-S    | MA   |    500,000 |   400,000 8000 | none                            | red    | NO_REPORT                           |
 * | MB-1    | MB   | 10,000,000 | 4,000,000 4000 | 80/100, 30/20, 1/3 (7111)        | yellow | BELOW_BENCHMARK, DEVIATION          |
 * | MB-2    | MB   |    800,000 |   600,000 7500 | certain, 80 of 100 (8000)        | green  |                                     |
 * | MC-1    | MC   |  1,000,000 |   700,000 7000 | certain, qualitative             | green  |                                     |
 *
 * MA-2 also pays 1,000,000 on 07-15: after the as-of date, so not counted.
 * MA: budget 6,500,000, spent 2,699,999 → 4153 bp; red 2, yellow 1, green 1.
 * MB: budget 10,800,000, spent 4,600,000 → 4259 bp; yellow 1, green 1.   MC: 7000 bp, green 1.
 * All: 7 projects, 18,300,000 fen, 7,999,999 spent → 4371 bp; red 2, yellow 2, green 3.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle } from '../../local/inprocess-invoker';
import { runMonitoringSnapshot } from '../../shared/app/jobs/monitoring-snapshot';
import { ulidIds, systemClock } from '../../shared/app/ports';
import { policiesRepo } from '../../shared/aws/policies-repo';
import { config, documentClient } from '../../shared/aws/clients';
import { queryAll } from '../../shared/aws/db';
import { keys } from '../../shared/aws/keys';
import { SYSTEM } from '../../shared/domain/access';
import { call, type Caller, dept, expert, finance, performance, setupTable } from '../support/harness';
import { depsFor } from '../../functions/compose';

const Y = 2020;
const DEPTS = ['MA', 'MB', 'MC'];
const mail = (d: string) => `mon-${d.toLowerCase()}-${process.pid}@jixiao.test`;
const db = () => ({ doc: documentClient(), table: config().TABLE_NAME });

interface StoredEmail {
  subject: string;
  destination: { to: string[] };
  body: { text: string };
}

async function emailsTo(deptId: string): Promise<StoredEmail[]> {
  await settle();
  const res = await fetch(`${process.env.AWS_ENDPOINT_URL_SESV2}/store`);
  const { emails } = (await res.json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.includes(mail(deptId)));
}

const base = { year: Y, category: 'operations', domain: '教育', fundSource: 'general' } as const;

async function project(caller: Caller, p: Record<string, unknown>) {
  const res = await call(caller, 'POST', '/v1/projects', { ...base, ...p });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

async function pay(projectId: string, deptId: string, date: string, amountFen: number, id = `E-${projectId}-${date}`) {
  const res = await call(dept(deptId), 'POST', `/v1/projects/${projectId}/expenditures`, { expenditureId: id, date, amountFen, kind: 'payment' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

const ge = (name: string, actualValue: number, targetValue: number, outlook = 'certain', extra: Record<string, unknown> = {}) => ({
  name,
  direction: '>=',
  targetValue,
  actualValue,
  outlook,
  ...(outlook === 'certain' ? {} : { deviationCause: 'funding', measures: '加快资金拨付' }),
  ...extra,
});
const qualitative = (outlook = 'certain') => ({
  name: '工作进展',
  direction: 'qualitative',
  targetValue: '按计划完成',
  actualValue: '按计划推进',
  outlook,
  ...(outlook === 'certain' ? {} : { deviationCause: 'institution', measures: '完善制度' }),
});

async function file(deptId: string, projectId: string, checkpoint: string, body: unknown, caller: Caller = dept(deptId)) {
  return call(caller, 'PUT', `/v1/projects/${projectId}/monitoring/${checkpoint}`, body);
}

async function run(job: string, asOf: string) {
  return call(performance, 'POST', `/v1/jobs/${job}/runs`, { asOf });
}

async function snapshotAll(checkpoint: string, caller: Caller = finance, query = '') {
  const projects: Record<string, unknown>[] = [];
  let token: string | undefined;
  let first: any;
  let pages = 0;
  do {
    const res = await call(caller, 'GET', `/v1/snapshots/${Y}/${checkpoint}?${query}${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    first ??= res.body;
    projects.push(...res.body.projects);
    token = res.body.nextToken;
    pages++;
  } while (token);
  return { ...first, projects, pages };
}

beforeAll(async () => {
  await setupTable();
  for (const id of DEPTS) {
    const res = await call(performance, 'PUT', `/v1/departments/${id}`, { name: `监控测试部门${id}`, contactEmails: [mail(id)] });
    expect(res.status).toBe(201);
  }
  await project(dept('MA'), { projectId: 'MA-L1', deptId: 'MA', level: 1, name: '教育发展专项', budgetFen: 0 });
  await project(dept('MA'), { projectId: 'MA-1', deptId: 'MA', level: 2, parentId: 'MA-L1', name: '校舍维修', budgetFen: 1_000_000 });
  await project(dept('MA'), { projectId: 'MA-2', deptId: 'MA', level: 2, parentId: 'MA-L1', name: '教师培训', budgetFen: 2_000_000 });
  await project(dept('MA'), { projectId: 'MA-3', deptId: 'MA', level: 2, parentId: 'MA-L1', name: '信息化建设', budgetFen: 3_000_000 });
  await project(dept('MA'), { projectId: 'MA-S', deptId: 'MA', level: 1, name: '学生资助', budgetFen: 500_000 });
  await project(dept('MB'), { projectId: 'MB-1', deptId: 'MB', level: 1, name: '道路养护', budgetFen: 10_000_000 });
  await project(dept('MB'), { projectId: 'MB-2', deptId: 'MB', level: 1, name: '路灯改造', budgetFen: 800_000 });
  await project(dept('MC'), { projectId: 'MC-1', deptId: 'MC', level: 1, name: '社区服务', budgetFen: 1_000_000 });

  await pay('MA-1', 'MA', '2020-03-01', 500_000);
  await pay('MA-2', 'MA', '2020-04-01', 599_999);
  await pay('MA-2', 'MA', '2020-07-15', 1_000_000);
  await pay('MA-3', 'MA', '2020-05-01', 1_200_000);
  await pay('MA-S', 'MA', '2020-06-30', 400_000);
  await pay('MB-1', 'MB', '2020-02-01', 4_000_000);
  await pay('MB-2', 'MB', '2020-06-01', 600_000);
  await pay('MC-1', 'MC', '2020-01-20', 700_000);
});

afterAll(async () => {
  await settle();
});

describe('monitoring reports', () => {
  it('files a report (201), versions every change, replays the same body, and refuses a stale base version', async () => {
    const first = await file('MA', 'MA-1', '06-30', { indicators: [ge('完成维修面积', 50, 100)], note: '上半年' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      projectId: 'MA-1',
      checkpoint: '06-30',
      date: '2020-06-30',
      version: 1,
      achievementBp: 5000,
      outlook: 'certain',
      status: 'open',
    });
    const second = await file('MA', 'MA-1', '06-30', { indicators: [ge('完成维修面积', 60, 100)], baseVersion: 1 });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ version: 2, achievementBp: 6000 });
    const replay = await file('MA', 'MA-1', '06-30', { indicators: [ge('完成维修面积', 60, 100)] });
    expect(replay.status).toBe(200);
    expect(replay.body.version).toBe(2);
    const stale = await file('MA', 'MA-1', '06-30', { indicators: [ge('完成维修面积', 61, 100)], baseVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('STALE_VERSION');

    const read = await call(finance, 'GET', '/v1/projects/MA-1/monitoring/06-30');
    expect(read.status).toBe(200);
    expect(read.body.version).toBe(2);
    expect(read.body.indicators[0].actualValue).toBe(60);
    expect(read.body.versions.map((v: { version: number; filedBy: string }) => [v.version, v.filedBy])).toEqual([
      [1, 'officer-MA'],
      [2, 'officer-MA'],
    ]);
    const v1 = await call(dept('MA'), 'GET', '/v1/projects/MA-1/monitoring/06-30?version=1');
    expect(v1.body).toMatchObject({ version: 1, note: '上半年', achievementBp: 5000 });
    const audit = await call(performance, 'GET', '/v1/audit/project/MA-1');
    const actions = audit.body.items.map((a: { action: string }) => a.action);
    expect(actions.filter((a: string) => a.startsWith('monitoring.'))).toEqual(['monitoring.updated', 'monitoring.filed']);
  });

  it('files the other June reports (the table above); performance may file too', async () => {
    expect((await file('MA', 'MA-2', '06-30', { indicators: [qualitative()] })).status).toBe(201);
    expect((await file('MA', 'MA-3', '06-30', { indicators: [qualitative('possible')] })).status).toBe(201);
    const mb1 = await file('MB', 'MB-1', '06-30', { indicators: [ge('里程', 80, 100), ge('桥梁', 30, 20), ge('隧道', 1, 3)] });
    expect(mb1.status).toBe(201);
    expect(mb1.body.achievementBp).toBe(7111);
    expect((await file('MB', 'MB-2', '06-30', { indicators: [ge('路灯', 80, 100)] }, performance)).status).toBe(201);
    expect((await file('MC', 'MC-1', '06-30', { indicators: [qualitative()] })).status).toBe(201);
    const list = await call(dept('MB'), 'GET', '/v1/projects/MB-2/monitoring');
    expect(list.status).toBe(200);
    expect(
      list.body.items.map((i: { checkpoint: string; status: string; report: { filedBy: string } | null }) => [
        i.checkpoint,
        i.status,
        i.report?.filedBy ?? null,
      ]),
    ).toEqual([
      ['06-30', 'open', 'perf-officer'],
      ['09-30', 'open', null],
    ]);
  });

  it('answers 400 listing every problem (checkpoint and body) and changes nothing', async () => {
    const bad = await file('MC', 'MC-1', '07-31', {
      indicators: [
        { actualValue: 1, outlook: 'maybe' },
        { name: 'x', actualValue: 1, outlook: 'impossible' },
      ],
      extra: true,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'path.checkpoint',
      'body.indicators[0].outlook',
      'body.indicators[1].deviationCause',
      'body.indicators[1].measures',
      'body',
    ]);
    expect(bad.body.error.details[0].message).toContain('06-30, 09-30');
    const empty = await file('MC', 'MC-1', '06-30', undefined);
    expect(empty.status).toBe(400);
    const after = await call(dept('MC'), 'GET', '/v1/projects/MC-1/monitoring/06-30');
    expect(after.body.version).toBe(1);
    expect(after.body.versions).toHaveLength(1);
    // A level-1 with children has no report of its own.
    const parent = await file('MA', 'MA-L1', '06-30', { indicators: [qualitative()] });
    expect(parent.status).toBe(409);
    expect(parent.body.error.code).toBe('NOT_A_LEAF');
  });

  it('checks a report against the project’s target: every target indicator, nothing else', async () => {
    const target = await call(dept('MC'), 'PUT', '/v1/projects/MC-1/target', {
      goal: '提升社区服务水平',
      indicators: [
        { level1: 'output', level2: 'quantity', name: '服务人次', unit: '人次', direction: '>=', targetValue: 5000 },
        { level1: 'benefit', level2: 'social', name: '居民获得感', direction: 'qualitative', targetValue: '明显提升' },
      ],
    });
    expect([200, 201], JSON.stringify(target.body)).toContain(target.status);
    const wrong = await file('MC', 'MC-1', '09-30', { indicators: [{ name: '服务人次', actualValue: '很多', outlook: 'certain' }, qualitative()] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details).toEqual([
      { path: 'body.indicators[0].actualValue', message: 'a >= indicator is reported as a number' },
      { path: 'body.indicators[1]', message: "工作进展 is not an indicator of the project's target" },
      { path: 'body.indicators', message: 'missing target indicator 居民获得感 (target indicator 2)' },
    ]);
    const right = await file('MC', 'MC-1', '09-30', {
      indicators: [
        { name: '服务人次', actualValue: 4000, outlook: 'certain' },
        { name: '居民获得感', actualValue: '居民评价较好', outlook: 'certain' },
      ],
    });
    expect(right.status, JSON.stringify(right.body)).toBe(201);
    expect(right.body.indicators[0]).toMatchObject({ direction: '>=', targetValue: 5000, unit: '人次' });
    expect(right.body.achievementBp).toBe(8000);
    expect(right.body.target).toMatchObject({ version: 1 });
  });

  it('lets each role do exactly what it may (department own/other, finance, performance, expert, no token)', async () => {
    const body = { indicators: [qualitative()] };
    const put = async (c: Caller | null) => (await call(c, 'PUT', '/v1/projects/MB-2/monitoring/09-30', body)).status;
    expect(await put(dept('MA'))).toBe(404);
    expect(await put(finance)).toBe(403);
    expect(await put(expert)).toBe(403);
    expect(await put(null)).toBe(401);
    expect(await put(dept('MB'))).toBe(201);
    expect(await put(performance)).toBe(200); // same content: the replay answer

    for (const path of ['/v1/projects/MB-2/monitoring/09-30', '/v1/projects/MB-2/monitoring']) {
      const get = async (c: Caller | null) => (await call(c, 'GET', path)).status;
      expect([await get(dept('MB')), await get(dept('MA')), await get(finance), await get(performance), await get(expert), await get(null)]).toEqual([
        200, 404, 200, 200, 403, 401,
      ]);
    }
    expect((await call(dept('MB'), 'GET', '/v1/projects/MB-1/monitoring/09-30')).status).toBe(404);
  });
});

describe('reminders', () => {
  it('emails only the departments with leaf projects missing the upcoming report, once', async () => {
    const res = await run('reminders', '2020-06-23');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.summary).toMatchObject({ checkpoint: '2020-06-30', projects: 7, missing: 1, departments: 1, reminded: 1, emails: 1 });
    const ma = await emailsTo('MA');
    expect(ma).toHaveLength(1);
    expect(ma[0]?.subject).toBe('【绩效管理】2020-06-23 绩效运行监控表填报提醒：1 项通知');
    expect(ma[0]?.body.text).toContain('以下 1 个项目尚未填报 2020-06-30 绩效运行监控表');
    expect(ma[0]?.body.text).toContain('1. 学生资助（MA-S）');
    expect(await emailsTo('MB')).toHaveLength(0);
    expect(await emailsTo('MC')).toHaveLength(0);

    const again = await run('reminders', '2020-06-23');
    expect(again.body.summary).toMatchObject({ reminded: 0, alreadyReminded: 1, emails: 0 });
    expect(await emailsTo('MA')).toHaveLength(1);
    expect((await run('reminders', '2020-06-24')).status).toBe(400);
  });
});

describe('the 06-30 snapshot', () => {
  it('is 404 before it is taken', async () => {
    const res = await call(finance, 'GET', `/v1/snapshots/${Y}/06-30`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('SNAPSHOT_NOT_FOUND');
  });

  it('runs once when two runs start together: one snapshot, one email per department with red or yellow projects', async () => {
    const [a, b] = await Promise.all([run('monitoring-snapshot', '2020-06-30'), run('monitoring-snapshot', '2020-06-30')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.runId).toBe(b.body.runId);
    expect(a.body.summary).toMatchObject({
      projects: 7,
      departments: 3,
      red: 2,
      yellow: 2,
      green: 3,
      suspended: 0,
      budgetFen: 18_300_000,
      spentFen: 7_999_999,
      progressBp: 4371,
      rerun: false,
      emails: 2,
    });
    const ma = (await emailsTo('MA')).filter((e) => e.subject.includes('监控预警'));
    const mb = (await emailsTo('MB')).filter((e) => e.subject.includes('监控预警'));
    expect(ma).toHaveLength(1);
    expect(mb).toHaveLength(1);
    expect(await emailsTo('MC')).toHaveLength(0);
    expect(ma[0]?.subject).toBe('【绩效管理】2020-06-30 绩效运行监控预警：4 项通知');
    const text = ma[0]?.body.text ?? '';
    // The department first, then red, then yellow projects.
    expect(text.indexOf('【部门整体监控情况】')).toBeLessThan(text.indexOf('【绩效监控预警·红灯】教师培训（MA-2）'));
    expect(text.indexOf('【绩效监控预警·红灯】学生资助（MA-S）')).toBeLessThan(text.indexOf('【绩效监控预警·黄灯】信息化建设（MA-3）'));
    expect(text).toContain('截至 2020-06-30：项目 4 个，预算 65,000.00 元，支出 26,999.99 元，支出进度 41.53%（时间进度 50.00%）');
    expect(text).toContain('红灯 2 个，黄灯 1 个，绿灯 1 个');
    expect(text).toContain('预警原因：未填报绩效运行监控表');
    expect(text).toContain('预警原因：支出进度低于时间进度（50.00%）超过 20.00%\n');
    expect(text).toContain('支出进度：29.99%（时间进度 50.00%）');
    expect(text).not.toContain('校舍维修');
  });

  it('stores every leaf with its light, flags and figures, and every department rolled up', async () => {
    const s = await snapshotAll('06-30');
    expect(s.asOf).toBe('2020-06-30');
    expect(s.totals).toEqual({
      departments: 3,
      projects: 7,
      budgetFen: 18_300_000,
      spentFen: 7_999_999,
      progressBp: 4371,
      red: 2,
      yellow: 2,
      green: 3,
      suspended: 0,
    });
    const byId = Object.fromEntries(s.projects.map((p: any) => [p.projectId, p]));
    expect(Object.keys(byId).sort()).toEqual(['MA-1', 'MA-2', 'MA-3', 'MA-S', 'MB-1', 'MB-2', 'MC-1']);
    expect(byId['MA-1']).toMatchObject({
      deptId: 'MA',
      budgetFen: 1_000_000,
      spentFen: 500_000,
      progressBp: 5000,
      achievementBp: 6000,
      light: 'green',
      flags: [],
    });
    expect(byId['MA-2']).toMatchObject({
      budgetFen: 2_000_000,
      spentFen: 599_999,
      progressBp: 2999,
      light: 'red',
      flags: ['PROGRESS_RED_GAP', 'BELOW_BENCHMARK'],
    });
    expect(byId['MA-3']).toMatchObject({ spentFen: 1_200_000, progressBp: 4000, light: 'yellow', flags: ['OUTLOOK_POSSIBLE', 'BELOW_BENCHMARK'] });
    expect(byId['MA-S']).toMatchObject({ spentFen: 400_000, progressBp: 8000, light: 'red', flags: ['NO_REPORT'] });
    expect(byId['MA-S'].achievementBp).toBeUndefined();
    expect(byId['MB-1']).toMatchObject({
      spentFen: 4_000_000,
      progressBp: 4000,
      achievementBp: 7111,
      light: 'yellow',
      flags: ['BELOW_BENCHMARK', 'DEVIATION'],
    });
    expect(byId['MB-2']).toMatchObject({ progressBp: 7500, achievementBp: 8000, light: 'green', flags: [] });
    expect(byId['MC-1']).toMatchObject({ progressBp: 7000, light: 'green', flags: [] });
    expect(s.departments).toEqual([
      { deptId: 'MA', projects: 4, budgetFen: 6_500_000, spentFen: 2_699_999, progressBp: 4153, red: 2, yellow: 1, green: 1, suspended: 0 },
      { deptId: 'MB', projects: 2, budgetFen: 10_800_000, spentFen: 4_600_000, progressBp: 4259, red: 0, yellow: 1, green: 1, suspended: 0 },
      { deptId: 'MC', projects: 1, budgetFen: 1_000_000, spentFen: 700_000, progressBp: 7000, red: 0, yellow: 0, green: 1, suspended: 0 },
    ]);
  });

  it('pages through the projects department by department', async () => {
    const paged = await snapshotAll('06-30', performance, 'limit=2');
    expect(paged.pages).toBe(4);
    expect(paged.projects.map((p: any) => p.projectId)).toEqual(['MA-1', 'MA-2', 'MA-3', 'MA-S', 'MB-1', 'MB-2', 'MC-1']);
    const ma = await snapshotAll('06-30', performance, 'deptId=MA&limit=3');
    expect(ma.projects.map((p: any) => p.projectId)).toEqual(['MA-1', 'MA-2', 'MA-3', 'MA-S']);
    expect(ma.departments.map((d: any) => d.deptId)).toEqual(['MA']);
    const bad = await call(finance, 'GET', `/v1/snapshots/${Y}/06-30?nextToken=garbage`);
    expect(bad.status).toBe(400);
  });

  it('shows a department its own data only', async () => {
    const own = await snapshotAll('06-30', dept('MB'));
    expect(own.projects.map((p: any) => p.projectId)).toEqual(['MB-1', 'MB-2']);
    expect(own.departments.map((d: any) => d.deptId)).toEqual(['MB']);
    expect(own.totals).toBeUndefined();
    const other = await call(dept('MB'), 'GET', `/v1/snapshots/${Y}/06-30?deptId=MA`);
    expect(other.status).toBe(403);
    expect((await call(expert, 'GET', `/v1/snapshots/${Y}/06-30`)).status).toBe(403);
    expect((await call(null, 'GET', `/v1/snapshots/${Y}/06-30`)).status).toBe(401);
    expect((await call(finance, 'GET', `/v1/snapshots/${Y}/6-30`)).status).toBe(400);
  });

  it('is immutable: a rerun changes no item and sends no email; a late report gets 409', async () => {
    const table = db();
    const before = await queryAll(table, {
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.snapshotProjectsPartition(Y, '06-30', 'MA') },
    });
    const again = await run('monitoring-snapshot', '2020-06-30');
    expect(again.status).toBe(200);
    expect(again.body.summary).toMatchObject({ projects: 7, red: 2, yellow: 2, green: 3, rerun: true, emails: 0 });
    const after = await queryAll(table, {
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.snapshotProjectsPartition(Y, '06-30', 'MA') },
    });
    expect(after).toEqual(before);
    expect((await emailsTo('MA')).filter((e) => e.subject.includes('监控预警'))).toHaveLength(1);

    const late = await file('MA', 'MA-S', '06-30', { indicators: [qualitative()] });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('SNAPSHOT_TAKEN');
    expect((await call(dept('MA'), 'GET', '/v1/projects/MA-S/monitoring/06-30')).status).toBe(404);
    const closed = await call(dept('MA'), 'GET', '/v1/projects/MA-1/monitoring');
    expect(closed.body.items.map((i: { status: string }) => i.status)).toEqual(['closed', 'open']);
  });
});

describe('the 09-30 snapshot: suspension', () => {
  it('suspends a red project whose outlook is impossible, which then refuses expenditure until lifted', async () => {
    // MA-3 at 09-30: 1,200,000 of 3,000,000 = 4000 bp, below 7500 − 2000, and it says impossible.
    const r = await file('MA', 'MA-3', '09-30', { indicators: [ge('系统上线模块', 2, 10, 'impossible')] });
    expect(r.status).toBe(201);
    // MA-2 is red (no 09-30 report) but not impossible: not suspended.
    const res = await run('monitoring-snapshot', '2020-09-30');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.summary).toMatchObject({ projects: 7, suspended: 1 });

    const s = await snapshotAll('09-30', dept('MA'));
    const byId = Object.fromEntries(s.projects.map((p: any) => [p.projectId, p]));
    expect(byId['MA-3']).toMatchObject({
      progressBp: 4000,
      achievementBp: 2000,
      light: 'red',
      flags: ['OUTLOOK_IMPOSSIBLE', 'PROGRESS_RED_GAP', 'BELOW_BENCHMARK', 'DEVIATION', 'SUSPENDED'],
      suspended: true,
    });
    // MA-2 now counts its 07-15 payment: 1,599,999 of 2,000,000 = 7999 bp, but no report.
    expect(byId['MA-2']).toMatchObject({ spentFen: 1_599_999, progressBp: 7999, light: 'red', flags: ['NO_REPORT'] });
    expect(byId['MA-2'].suspended).toBeUndefined();
    expect(s.departments).toEqual([
      { deptId: 'MA', projects: 4, budgetFen: 6_500_000, spentFen: 3_699_999, progressBp: 5692, red: 4, yellow: 0, green: 0, suspended: 1 },
    ]);

    const project = await call(dept('MA'), 'GET', '/v1/projects/MA-3');
    expect(project.body).toMatchObject({ status: 'suspended', flags: ['SUSPENDED'] });
    const refused = await call(dept('MA'), 'POST', '/v1/projects/MA-3/expenditures', {
      expenditureId: 'E-after',
      date: '2020-10-10',
      amountFen: 100,
      kind: 'payment',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('PROJECT_SUSPENDED');
    const audit = await call(performance, 'GET', '/v1/audit/project/MA-3');
    expect(audit.body.items.find((a: { action: string }) => a.action === 'project.suspended')).toMatchObject({
      before: { status: 'active' },
      after: { status: 'suspended', snapshot: '2020-09-30' },
    });
    const text = (await emailsTo('MA')).find((e) => e.subject.startsWith('【绩效管理】2020-09-30'))?.body.text ?? '';
    expect(text).toContain('【绩效监控预警·红灯】信息化建设（MA-3）');
    expect(text).toContain('处理：按规定暂停项目执行，暂停支付');
  });

  it('lets only the performance office lift it: status active, flag removed, audited; 409 when not suspended', async () => {
    const lift = async (c: Caller | null) => (await call(c, 'POST', '/v1/projects/MA-3/suspension/lift', { comment: '部门已提交整改方案' })).status;
    expect([await lift(dept('MA')), await lift(dept('MB')), await lift(finance), await lift(expert), await lift(null)]).toEqual([403, 403, 403, 403, 401]);
    const bad = await call(performance, 'POST', '/v1/projects/MA-3/suspension/lift', { comment: '', x: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.comment', 'body']);
    expect((await call(dept('MA'), 'GET', '/v1/projects/MA-3')).body.status).toBe('suspended');

    const key = { 'idempotency-key': 'lift-MA-3' };
    const ok = await call(performance, 'POST', '/v1/projects/MA-3/suspension/lift', { comment: '部门已提交整改方案' }, key);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      status: 'active',
      flags: [],
      suspension: { since: '2020-09-30', liftedBy: 'perf-officer', comment: '部门已提交整改方案' },
    });
    // A retried lift (same Idempotency-Key, same body) is answered as the first was; another body is refused.
    const retried = await call(performance, 'POST', '/v1/projects/MA-3/suspension/lift', { comment: '部门已提交整改方案' }, key);
    expect([retried.status, retried.body]).toEqual([200, ok.body]);
    const reused = await call(performance, 'POST', '/v1/projects/MA-3/suspension/lift', { comment: '别的理由' }, key);
    expect([reused.status, reused.body.error.code]).toEqual([409, 'ID_CONFLICT']);
    const again = await call(performance, 'POST', '/v1/projects/MA-3/suspension/lift', { comment: '再次解除' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('NOT_SUSPENDED');
    expect((await call(performance, 'POST', '/v1/projects/MA-1/suspension/lift', { comment: 'x' })).status).toBe(409);
    expect((await call(performance, 'POST', '/v1/projects/NOPE/suspension/lift', { comment: 'x' })).status).toBe(404);

    const paid = await call(dept('MA'), 'POST', '/v1/projects/MA-3/expenditures', {
      expenditureId: 'E-after',
      date: '2020-10-10',
      amountFen: 100,
      kind: 'payment',
    });
    expect(paid.status).toBe(201);
    expect(paid.body.project.spentFen).toBe(1_200_100);
    const audit = await call(performance, 'GET', '/v1/audit/project/MA-3');
    expect(audit.body.items[0]).toMatchObject({
      action: 'project.suspension-lifted',
      actor: 'perf-officer',
      after: { status: 'active', comment: '部门已提交整改方案' },
    });

    // A rerun of the September snapshot does not suspend it again.
    const rerun = await run('monitoring-snapshot', '2020-09-30');
    expect(rerun.body.summary).toMatchObject({ suspended: 1, rerun: true, emails: 0 });
    expect((await call(dept('MA'), 'GET', '/v1/projects/MA-3')).body.status).toBe('active');
  });
});

describe('a snapshot run killed half way', () => {
  it('resumes on rerun to the same snapshot as an uninterrupted run, with one email per department', async () => {
    const y = 2021;
    await project(dept('MC'), { year: y, projectId: 'K-1', deptId: 'MC', level: 1, name: '社区养老', budgetFen: 100_000 });
    await project(dept('MC'), { year: y, projectId: 'K-2', deptId: 'MC', level: 1, name: '社区医疗', budgetFen: 200_000 });
    await project(dept('MC'), { year: y, projectId: 'K-3', deptId: 'MC', level: 1, name: '社区文化', budgetFen: 300_000 });
    await call(dept('MC'), 'POST', '/v1/projects/K-2/expenditures', { expenditureId: 'K2', date: '2021-05-05', amountFen: 150_000, kind: 'payment' });
    expect((await file('MC', 'K-2', '06-30', { indicators: [qualitative()] })).status).toBe(201);

    const deps = depsFor(db(), systemClock, ulidIds);
    let seen = 0;
    const ctx = {
      deps,
      job: 'monitoring-snapshot',
      asOf: `${y}-06-30`,
      year: y,
      policy: await policiesRepo(db()).effective(y),
      runId: 'killed-run',
      actor: SYSTEM,
      outboxGroup: `monitoring-snapshot~${y}-06-30`,
      concurrency: 1,
    };
    await expect(
      runMonitoringSnapshot(ctx, {
        beforeProject: () => {
          if (++seen === 3) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const partial = await queryAll(db(), {
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.snapshotProjectsPartition(y, '06-30', 'MC') },
    });
    expect(partial).toHaveLength(2);
    expect((await call(finance, 'GET', `/v1/snapshots/${y}/06-30`)).status).toBe(404);

    const res = await run('monitoring-snapshot', `${y}-06-30`);
    expect(res.status).toBe(200);
    expect(res.body.summary).toMatchObject({ projects: 3, red: 2, yellow: 0, green: 1, resumed: 2, emails: 1 });
    const y21 = await call(finance, 'GET', `/v1/snapshots/${y}/06-30`);
    expect(y21.body.departments).toEqual([
      { deptId: 'MC', projects: 3, budgetFen: 600_000, spentFen: 150_000, progressBp: 2500, red: 2, yellow: 0, green: 1, suspended: 0 },
    ]);
    const mails = (await emailsTo('MC')).filter((e) => e.subject.startsWith(`【绩效管理】${y}-06-30`));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe(`【绩效管理】${y}-06-30 绩效运行监控预警：3 项通知`);
  });
});
