/**
 * Exemptions from the September rule (SPEC §3.6): asked by the department before the
 * checkpoint, decided by the performance office, listed, audited, and honoured by the job even
 * when the approval lands while the job runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler as exemptionsHandler } from '../../functions/http/exemptions';
import { settle } from '../../local/inprocess-invoker';
import { decideExemption } from '../../shared/app/exemptions';
import { runProgressReclaim } from '../../shared/app/jobs/progress-reclaim';
import { policiesRepo } from '../../shared/aws/policies-repo';
import { departmentsRepo } from '../../shared/aws/departments-repo';
import { projectsRepo } from '../../shared/aws/projects-repo';
import { SYSTEM } from '../../shared/domain/access';
import { type Caller, call, dept, expert, finance, performance, setupTable } from '../support/harness';
import { callWith, depsAt, envDb, ledgerOfYear, project, putProjects } from '../support/ledger-fixtures';

const body = { rule: 'PROGRESS_RECLAIM', reason: 'procurement', note: '招标已完成，合同待签' };
const stored = (id: string) => projectsRepo(envDb()).get(id) as Promise<Record<string, any>>;

beforeAll(async () => {
  await setupTable();
  const db = envDb();
  for (const deptId of ['EX1', 'EX2']) {
    await departmentsRepo(db).putPlain({
      deptId,
      name: `部门${deptId}`,
      contactEmails: [`${deptId.toLowerCase()}@ex.test`],
      version: 1,
      createdAt: '',
      updatedAt: '',
    });
  }
  // 2027: its checkpoint (2027-09-30) is ahead of today's clock; 2020's is long past.
  const p = (projectId: string, deptId: string, year: number, extra = {}) => project({ projectId, deptId, year, level: 1, budgetFen: 10_000_000, ...extra });
  await putProjects(db, [
    p('EX-OWN', 'EX1', 2027),
    p('EX-PERF', 'EX1', 2027),
    p('EX-REF', 'EX1', 2027),
    p('EX-OTHER', 'EX2', 2027),
    p('EX-RACE', 'EX1', 2027),
    p('EX-PARENT', 'EX1', 2027, { childCount: 1 }),
    p('EX-OLD', 'EX1', 2020),
    p('EX-EDGE', 'EX1', 2028),
  ]);
});

afterAll(async () => {
  await settle();
});

describe('POST /v1/projects/{projectId}/exemptions', () => {
  it('lets the project’s department (and the performance office) ask; others are refused', async () => {
    const got: Record<string, number> = {};
    const refused: Record<string, Caller | null> = { other: dept('EX2'), finance, expert, anonymous: null };
    for (const [name, caller] of Object.entries(refused)) got[name] = (await call(caller, 'POST', '/v1/projects/EX-OWN/exemptions', body)).status;
    expect(got).toEqual({ other: 404, finance: 403, expert: 403, anonymous: 401 });
    const own = await call(dept('EX1'), 'POST', '/v1/projects/EX-OWN/exemptions', body);
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({
      exemptionId: 'EX-OWN~PROGRESS_RECLAIM',
      status: 'pending',
      projectId: 'EX-OWN',
      deptId: 'EX1',
      year: 2027,
      reason: 'procurement',
      note: '招标已完成，合同待签',
      checkpoint: '2027-09-30',
      requestedBy: 'officer-EX1',
    });
    expect((await call(performance, 'POST', '/v1/projects/EX-PERF/exemptions', { rule: 'PROGRESS_RECLAIM', reason: 'milestones' })).status).toBe(201);
  });

  it('answers a retry with the first result and a different second request with 409', async () => {
    const again = await call(dept('EX1'), 'POST', '/v1/projects/EX-OWN/exemptions', body);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('pending');
    const other = await call(dept('EX1'), 'POST', '/v1/projects/EX-OWN/exemptions', { ...body, reason: 'milestones' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('EXEMPTION_EXISTS');
  });

  it('lists every problem of a bad body; refuses a level-1 with children', async () => {
    const bad = await call(dept('EX1'), 'POST', '/v1/projects/EX-REF/exemptions', { rule: 'CLEANUP_CUT', reason: 'other', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body', 'body.note', 'body.rule']);
    const parent = await call(dept('EX1'), 'POST', '/v1/projects/EX-PARENT/exemptions', body);
    expect(parent.status).toBe(409);
    expect(parent.body.error.code).toBe('NOT_A_LEAF');
  });

  it('is open up to and including the checkpoint day of the project’s year, under that year’s policy', async () => {
    const late = await call(dept('EX1'), 'POST', '/v1/projects/EX-OLD/exemptions', body);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'EXEMPTION_WINDOW_CLOSED', message: 'Exemptions had to be asked for by 2020-09-30' });
    // 2028's policy moves the checkpoint to 10-15: asking on 10-15 (23:30 in Shanghai) is in time, on 10-16 it is not.
    expect((await call(performance, 'PUT', '/v1/policies/2028', { progressReclaim: { date: '10-15' } })).status).toBe(200);
    const dayAfter = await callWith(exemptionsHandler(depsAt('2028-10-15T16:30:00Z')), dept('EX1'), 'POST', '/v1/projects/EX-EDGE/exemptions', body);
    expect(dayAfter.status).toBe(409);
    expect(dayAfter.body.error.message).toBe('Exemptions had to be asked for by 2028-10-15');
    const onTheDay = await callWith(exemptionsHandler(depsAt('2028-10-15T15:30:00Z')), dept('EX1'), 'POST', '/v1/projects/EX-EDGE/exemptions', body);
    expect(onTheDay.status).toBe(201);
    expect(onTheDay.body.checkpoint).toBe('2028-10-15');
  });
});

describe('POST /v1/exemptions/{exemptionId}/decision', () => {
  it('only the performance office decides; approve writes the rule onto the project', async () => {
    const path = '/v1/exemptions/EX-OWN~PROGRESS_RECLAIM/decision';
    const got: Record<string, number> = {};
    for (const [name, caller] of Object.entries({ own: dept('EX1'), other: dept('EX2'), finance, expert, anonymous: null })) {
      got[name] = (await call(caller, 'POST', path, { decision: 'approve', comment: '同意' })).status;
    }
    expect(got).toEqual({ own: 403, other: 403, finance: 403, expert: 403, anonymous: 401 });
    const bad = await call(performance, 'POST', path, { decision: 'yes' });
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.comment', 'body.decision']);
    const ok = await call(performance, 'POST', path, { decision: 'approve', comment: '采购程序属实' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', decision: { decision: 'approve', comment: '采购程序属实', by: 'perf-officer' }, version: 2 });
    expect((await stored('EX-OWN')).exemptRules).toEqual(['PROGRESS_RECLAIM']);
    expect((await call(performance, 'POST', path, { decision: 'approve', comment: '采购程序属实' })).status).toBe(200);
    const flip = await call(performance, 'POST', path, { decision: 'refuse', comment: '改判' });
    expect(flip.status).toBe(409);
    expect(flip.body.error.code).toBe('ILLEGAL_TRANSITION');
    expect((await call(performance, 'POST', '/v1/exemptions/NO-SUCH/decision', { decision: 'approve', comment: 'x' })).status).toBe(404);
  });

  it('refuse leaves the project as it was', async () => {
    expect((await call(dept('EX1'), 'POST', '/v1/projects/EX-REF/exemptions', body)).status).toBe(201);
    const res = await call(performance, 'POST', '/v1/exemptions/EX-REF~PROGRESS_RECLAIM/decision', { decision: 'refuse', comment: '理由不充分' });
    expect(res.body.status).toBe('refused');
    expect((await stored('EX-REF')).exemptRules).toBeUndefined();
  });

  it('audits the request and the decision', async () => {
    const audit = await call(finance, 'GET', '/v1/audit/exemption/EX-OWN~PROGRESS_RECLAIM');
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((a: { action: string }) => a.action).sort()).toEqual(['exemption.approved', 'exemption.requested']);
  });
});

describe('GET /v1/exemptions', () => {
  it('lists a year’s exemptions, a department its own only, by status', async () => {
    expect((await call(dept('EX2'), 'POST', '/v1/projects/EX-OTHER/exemptions', body)).status).toBe(201);
    const all = await call(finance, 'GET', '/v1/exemptions?year=2027');
    expect(all.body.items.map((e: { exemptionId: string }) => e.exemptionId).sort()).toEqual(
      ['EX-OTHER', 'EX-OWN', 'EX-PERF', 'EX-REF'].map((p) => `${p}~PROGRESS_RECLAIM`),
    );
    const own = await call(dept('EX1'), 'GET', '/v1/exemptions?year=2027');
    expect(own.body.items.map((e: { projectId: string }) => e.projectId).sort()).toEqual(['EX-OWN', 'EX-PERF', 'EX-REF']);
    expect((await call(dept('EX1'), 'GET', '/v1/exemptions?year=2027&deptId=EX2')).status).toBe(403);
    const approved = await call(performance, 'GET', '/v1/exemptions?year=2027&status=approved');
    expect(approved.body.items.map((e: { projectId: string }) => e.projectId)).toEqual(['EX-OWN']);
    const pending = await call(performance, 'GET', '/v1/exemptions?year=2027&deptId=EX1&status=pending');
    expect(pending.body.items.map((e: { projectId: string }) => e.projectId)).toEqual(['EX-PERF']);
    expect(pending.body.items[0].requestHash).toBeUndefined();
    expect((await call(expert, 'GET', '/v1/exemptions?year=2027')).status).toBe(403);
    expect((await call(finance, 'GET', '/v1/exemptions?year=20x7&status=maybe')).body.error.details).toHaveLength(2);
    expect((await call(dept('EX2'), 'GET', '/v1/exemptions/EX-OWN~PROGRESS_RECLAIM')).status).toBe(404);
    expect((await call(dept('EX1'), 'GET', '/v1/exemptions/EX-OWN~PROGRESS_RECLAIM')).body.status).toBe('approved');
  });
});

describe('the job and exemptions', () => {
  it('honours an approval that lands after the job read the project (its guard fails, it reads again)', async () => {
    expect((await call(dept('EX1'), 'POST', '/v1/projects/EX-RACE/exemptions', body)).status).toBe(201);
    const deps = depsAt('2027-10-01T01:20:00Z');
    const summary = await runProgressReclaim(
      {
        deps,
        job: 'progress-reclaim',
        asOf: '2027-09-30',
        year: 2027,
        policy: await policiesRepo(envDb()).effective(2027),
        runId: 'race',
        actor: SYSTEM,
        outboxGroup: 'progress-reclaim~2027-09-30',
        concurrency: 4,
      },
      {
        beforeProject: async (p) => {
          if (p.projectId === 'EX-RACE')
            await decideExemption(deps, { sub: 'perf', roles: ['performance'] }, 'EX-RACE~PROGRESS_RECLAIM', { decision: 'approve', comment: '同意' });
        },
      },
    );
    // EX-OWN approved before, EX-RACE approved during the run; EX-PERF (pending), EX-REF
    // (refused) and EX-OTHER (pending) lose 8,000,000 each.
    expect(summary).toMatchObject({ deductions: 3, amountFen: 24_000_000, skippedExempted: 2, retries: 1 });
    expect((await ledgerOfYear(envDb(), 2027)).map((d) => d.projectId).sort()).toEqual(['EX-OTHER', 'EX-PERF', 'EX-REF']);
    expect((await stored('EX-RACE')).budgetFen).toBe(10_000_000);
  });
});
