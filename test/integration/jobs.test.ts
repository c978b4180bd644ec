import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settle } from '../../local/inprocess-invoker';
import { JOBS } from '../../shared/app/jobs/registry';
import { sleep } from '../../shared/aws/db';
import { call, finance, performance, dept, setupTable } from '../support/harness';

let runs = 0;

beforeAll(async () => {
  await setupTable();
  // A job that exists only in this test, to exercise the runner itself.
  JOBS['test-slow'] = {
    name: 'test-slow',
    title: '测试作业',
    dates: (_policy, year) => [`${year}-06-30`, `${year}-09-30`],
    run: async () => {
      runs++;
      await sleep(400);
      return { projects: 0, deductions: 0, amountFen: 0 };
    },
  };
});

afterAll(async () => {
  delete JOBS['test-slow'];
  await settle();
});

describe('job runner', () => {
  it('answers 404 UNKNOWN_JOB for a job with no rule behind it', async () => {
    const res = await call(performance, 'POST', '/v1/jobs/no-such-job/runs', { asOf: '2020-09-30' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('UNKNOWN_JOB');
  });

  it('refuses an as-of date the policy does not name, listing the ones it does', async () => {
    const res = await call(performance, 'POST', '/v1/jobs/test-slow/runs', { asOf: '2020-08-15' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'body.asOf', message: 'test-slow runs as of 2020-06-30, 2020-09-30 in 2020' }]);
  });

  it('lets only the performance office start a run', async () => {
    for (const caller of [finance, dept('D01')]) {
      expect((await call(caller, 'POST', '/v1/jobs/test-slow/runs', { asOf: '2020-06-30' })).status).toBe(403);
    }
    expect((await call(null, 'POST', '/v1/jobs/test-slow/runs', { asOf: '2020-06-30' })).status).toBe(401);
  });

  it('runs once when two runs of one job and as-of date start together, and records the run', async () => {
    runs = 0;
    const [a, b] = await Promise.all([
      call(performance, 'POST', '/v1/jobs/test-slow/runs', { asOf: '2020-09-30' }),
      call(performance, 'POST', '/v1/jobs/test-slow/runs', { asOf: '2020-09-30' }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(runs).toBe(1);
    expect(a.body.runId).toBe(b.body.runId);
    expect(a.body).toMatchObject({ job: 'test-slow', asOf: '2020-09-30', status: 'succeeded', summary: { deductions: 0, emails: 0 } });
    const read = await call(finance, 'GET', `/v1/jobs/runs/${a.body.runId}`);
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('succeeded');
    const list = await call(performance, 'GET', '/v1/jobs/test-slow/runs');
    // Two run records: the one that worked and the one that deferred to it.
    expect(list.body.items.map((r: { status: string }) => r.status).sort()).toEqual(['deferred', 'succeeded']);

    const again = await call(performance, 'POST', '/v1/jobs/test-slow/runs', { asOf: '2020-09-30' });
    expect(again.status).toBe(200);
    expect(again.body.runId).not.toBe(a.body.runId);
    expect(runs).toBe(2);
  });
});
