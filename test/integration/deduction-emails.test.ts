/**
 * The deduction emails' delivery (SPEC §4): written to the outbox with the deductions, sealed
 * into one email per department per run, sent by the dispatcher; a send that fails (SES down,
 * throttled) stays pending and is sent exactly once later; a rerun of the job sends nothing.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../shared/app/jobs/runner';
import { config, sesClient } from '../../shared/aws/clients';
import { getItem } from '../../shared/aws/db';
import { departmentsRepo } from '../../shared/aws/departments-repo';
import { keys } from '../../shared/aws/keys';
import { type Mailer, sesMailer } from '../../shared/aws/mailer';
import { dispatchPending, type MailItem, mailId } from '../../shared/aws/outbox';
import { stripKeys } from '../../shared/aws/projects-repo';
import { LOCAL_CREDENTIALS } from '../../local/services';
import { SYSTEM } from '../../shared/domain/access';
import { setupTable } from '../support/harness';
import { depsAt, emailsTo, envDb, project, putProjects } from '../support/ledger-fixtures';

const MAIL = { EM1: 'em1@mail.test', EM2: 'em2@mail.test' } as const;
const T0 = new Date('2021-10-01T01:20:00Z');
const at = (seconds: number) => () => new Date(T0.getTime() + seconds * 1000);

/** The run's emails: one per department, `${group}~${deptId}~1`. */
async function mails(): Promise<MailItem[]> {
  const out: MailItem[] = [];
  for (const deptId of Object.keys(MAIL)) {
    const m = await getItem<MailItem>(envDb(), keys.mail(mailId('progress-reclaim~2021-09-30', deptId, 1)));
    if (m) out.push(stripKeys<MailItem>(m as unknown as Record<string, unknown>));
  }
  return out;
}

beforeAll(async () => {
  await setupTable();
  const db = envDb();
  for (const [deptId, mail] of Object.entries(MAIL)) {
    await departmentsRepo(db).putPlain({ deptId, name: `部门${deptId}`, contactEmails: [mail], version: 1, createdAt: '', updatedAt: '' });
  }
  await putProjects(db, [
    project({ projectId: 'EM1-A', deptId: 'EM1', year: 2021, level: 1, budgetFen: 100_000_000, spentByDay: { '2021-05-01': 60_000_000 } }),
    project({ projectId: 'EM1-B', deptId: 'EM1', year: 2021, level: 1, budgetFen: 500_000_000, spentByDay: { '2021-08-01': 313_580_247 } }),
    project({ projectId: 'EM2-A', deptId: 'EM2', year: 2021, level: 1, budgetFen: 10_000_000 }),
  ]);
});

describe('deduction emails through the outbox', () => {
  it('seals one email per department for the run, pending until sent', async () => {
    const run = await runJob(depsAt(T0.toISOString()), { job: 'progress-reclaim', asOf: '2021-09-30', runId: 'mail-1', actor: SYSTEM });
    expect(run.summary).toMatchObject({ deductions: 3, amountFen: 20_000_000 + 86_419_753 + 8_000_000, emails: 2 });
    const m = await mails();
    expect(m.map((x) => [x.deptId, x.status, x.lineIds.length, x.to])).toEqual([
      ['EM1', 'pending', 2, [MAIL.EM1]],
      ['EM2', 'pending', 1, [MAIL.EM2]],
    ]);
    expect(m[0]!.subject).toBe('【绩效管理】2021-09-30 支出进度收回（progress-reclaim）：2 项预算调整，合计 1,064,197.53 元');
    // applied on 2021-10-01 (Shanghai): the appeal deadline is 10 days later
    expect(m[0]!.text).toContain('申诉截止日期：2021-10-11（扣减编号 PROGRESS_RECLAIM~project~EM1-A~2021-09-30）');
    expect(m[0]!.text).toContain('扣减金额：864,197.53 元');
  });

  it('keeps them pending while SES is down or throttling, with backoff, and sends each exactly once after', async () => {
    // SES down: nothing answers on this port.
    const down = sesMailer(new SESv2Client({ endpoint: 'http://127.0.0.1:9', region: 'ap-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 }), 'x@y.z');
    expect(await dispatchPending(envDb(), down, at(0))).toEqual({ sent: 0, retried: 2, failed: 0 });
    expect((await mails()).map((x) => [x.status, x.attempts, x.nextAttemptAt])).toEqual([
      ['pending', 1, new Date(T0.getTime() + 60_000).toISOString()],
      ['pending', 1, new Date(T0.getTime() + 60_000).toISOString()],
    ]);
    // Not due yet: nothing is tried.
    let calls = 0;
    const throttled: Mailer = {
      send: async () => {
        calls++;
        throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
      },
    };
    expect(await dispatchPending(envDb(), throttled, at(30))).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(calls).toBe(0);
    expect(await dispatchPending(envDb(), throttled, at(61))).toEqual({ sent: 0, retried: 2, failed: 0 });
    expect(calls).toBe(2);
    expect((await mails()).map((x) => [x.status, x.attempts])).toEqual([
      ['pending', 2],
      ['pending', 2],
    ]);
    expect(await emailsTo(Object.values(MAIL))).toEqual([]);

    const ses = sesMailer(sesClient(), config().MAIL_FROM);
    let sends = 0;
    const counting: Mailer = { send: (e) => (sends++, ses.send(e)) };
    // two dispatchers at once after the backoff: each email is claimed by one of them
    const [a, b] = await Promise.all([dispatchPending(envDb(), counting, at(400)), dispatchPending(envDb(), counting, at(400))]);
    expect(a.sent + b.sent).toBe(2);
    expect(sends).toBe(2);
    expect((await mails()).map((x) => x.status)).toEqual(['sent', 'sent']);
    expect(await dispatchPending(envDb(), counting, at(4000))).toEqual({ sent: 0, retried: 0, failed: 0 });
    const sent = await emailsTo(Object.values(MAIL));
    expect(sent.map((m) => m.destination.to[0]).sort()).toEqual([MAIL.EM1, MAIL.EM2]);
    expect(sent.find((m) => m.destination.to[0] === MAIL.EM2)!.body.text).toContain('扣减金额：80,000.00 元');
  });

  it('a rerun of the job queues and sends nothing new', async () => {
    const rerun = await runJob(depsAt('2021-10-02T01:20:00Z'), { job: 'progress-reclaim', asOf: '2021-09-30', runId: 'mail-2', actor: SYSTEM });
    expect(rerun.summary).toMatchObject({ deductions: 0, emails: 0 });
    expect(await dispatchPending(envDb(), sesMailer(sesClient(), config().MAIL_FROM), at(9000))).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await emailsTo(Object.values(MAIL))).toHaveLength(2);
  });
});
