/** Policies, departments, the audit log and how bad input is answered (SPEC §6). */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { call, dept, finance, performance, setupTable } from '../support/harness';
import { tableDigest } from '../support/table-digest';

beforeAll(async () => {
  await setupTable();
  await call(performance, 'PUT', '/v1/departments/D01', { name: '教育局', contactEmails: ['jyj@xm.gov.cn'], domain: '教育' });
});

describe('policies', () => {
  it('serves the full default document for a year nobody changed', async () => {
    const res = await call(dept('D01'), 'GET', '/v1/policies/2020');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year: 2020, policy: DEFAULT_POLICY, override: {}, version: 0 });
  });

  it('overrides field by field for one year only, and audits the change', async () => {
    const put = await call(performance, 'PUT', '/v1/policies/2019', { idleFunds: { carryoverYears: 2 } });
    expect(put.status).toBe(200);
    expect(put.body.policy.idleFunds).toEqual({ ...DEFAULT_POLICY.idleFunds, carryoverYears: 2 });
    const second = await call(performance, 'PUT', '/v1/policies/2019', { progressReclaim: { thresholdBp: 7000 } });
    expect(second.body.policy.idleFunds.carryoverYears).toBe(2);
    expect(second.body.policy.progressReclaim.thresholdBp).toBe(7000);
    expect(second.body.version).toBe(2);
    expect((await call(finance, 'GET', '/v1/policies/2020')).body.policy.idleFunds.carryoverYears).toBe(1);

    const audit = await call(performance, 'GET', '/v1/audit/policy/2019');
    expect(audit.body.items).toHaveLength(2);
    expect(audit.body.items[0]).toMatchObject({
      action: 'policy.updated',
      actor: 'perf-officer',
      before: { 'progressReclaim.thresholdBp': 8000 },
      after: { 'progressReclaim.thresholdBp': 7000 },
    });
  });

  it('refuses an invalid override listing every problem, and changes nothing', async () => {
    const before = await tableDigest();
    const res = await call(performance, 'PUT', '/v1/policies/2019', {
      progressReclaim: { thresholdBp: 12000, date: '9/30' },
      exAnte: { weights: { standard: 30 } },
      surprise: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['body.progressReclaim.thresholdBp', 'body.progressReclaim.date', 'body']),
    );
    const crossField = await call(performance, 'PUT', '/v1/policies/2019', { exAnte: { weights: { standard: 30 } } });
    expect(crossField.status).toBe(400);
    expect(crossField.body.error.details).toEqual([{ path: 'body.exAnte.weights', message: 'weights must add up to 100' }]);
    expect(await tableDigest()).toEqual(before);
  });
});

describe('departments', () => {
  it('creates, updates with an audit of the changed fields, and keeps the version', async () => {
    const up = await call(performance, 'PUT', '/v1/departments/D01', { name: '教育局', contactEmails: ['jyj@xm.gov.cn', 'cw@xm.gov.cn'], domain: '教育' });
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ deptId: 'D01', version: 2, contactEmails: ['jyj@xm.gov.cn', 'cw@xm.gov.cn'] });
    const same = await call(performance, 'PUT', '/v1/departments/D01', { name: '教育局', contactEmails: ['jyj@xm.gov.cn', 'cw@xm.gov.cn'], domain: '教育' });
    expect(same.body.version).toBe(2);
    const audit = await call(finance, 'GET', '/v1/audit/department/D01');
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['department.updated', 'department.created']);
    expect(audit.body.items[0].before).toEqual({ contactEmails: ['jyj@xm.gov.cn'] });
  });
});

describe('bad input', () => {
  it('answers malformed JSON, a wrong content type, an oversized body and unknown routes with 4xx', async () => {
    const malformed = await call(performance, 'PUT', '/v1/departments/D02', '{"name": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('INVALID_JSON');
    const wrongType = await call(performance, 'PUT', '/v1/departments/D02', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(wrongType.status).toBe(400);
    const huge = await call(performance, 'PUT', '/v1/departments/D02', { name: 'x'.repeat(300_000), contactEmails: ['a@b.cn'] });
    expect(huge.status).toBe(413);
    expect((await call(performance, 'GET', '/v1/nothing-here')).status).toBe(404);
    expect((await call(performance, 'GET', '/v1/departments/D02')).status).toBe(404);
  });

  it('lists every problem of a body, query and path at once', async () => {
    const res = await call(performance, 'PUT', '/v1/departments/bad%20id', { name: '', contactEmails: ['not-an-email'], extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body', 'body.contactEmails[0]', 'body.name', 'path.deptId'].sort());
    const q = await call(finance, 'GET', '/v1/projects?year=abc&level=3&limit=0');
    expect(q.status).toBe(400);
    expect(q.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['query.level', 'query.limit', 'query.year']);
  });
});
