/**
 * The outbox by stream (issue 14): DynamoDB Local's stream read by local/stream-reader.ts
 * through the real streams client, the outbox function's own handler invoked with
 * DynamoDBStreamEvents. An email caused by an HTTP action (an appeal decided) reaches the SES
 * emulator within 5 s, with no dispatcher running; exactly once across duplicate records, a
 * reader restarted from its checkpoint and from the start of the stream, and a handler that
 * crashes mid-batch. And a department with 3,000 lines in one run gets its email in parts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/jobs/outbox';
import { JOB_FUNCTIONS } from '../../infra/catalog';
import { lambdaContext, loadHandler } from '../../local/invoke';
import { type StreamHandler, type StreamReader, startStreamReader } from '../../local/stream-reader';
import { runJob } from '../../shared/app/jobs/runner';
import { config, sesClient } from '../../shared/aws/clients';
import { type Db, getItem } from '../../shared/aws/db';
import { departmentsRepo } from '../../shared/aws/departments-repo';
import { keys } from '../../shared/aws/keys';
import { sesMailer } from '../../shared/aws/mailer';
import { MAIL_ITEM_MAX_BYTES, type MailItem, mailId, outboxLinePut, putOutboxLine, sealGroup } from '../../shared/aws/outbox';
import { SYSTEM } from '../../shared/domain/access';
import type { EmailLine } from '../../shared/domain/email';
import { call, dept, performance, setupTable } from '../support/harness';
import { depsAt, emailsTo, envDb, project, putProjects } from '../support/ledger-fixtures';

const DEPT = 'OS1';
const ADDRESS = 'os1@stream.test';
const CRASH_DEPTS = ['OSC1', 'OSC2', 'OSC3', 'OSC4', 'OSC5'];
const crashAddress = (d: string) => `${d.toLowerCase()}@stream.test`;
const SPLIT = { deptId: 'OSP', address: 'osp@stream.test', lines: 3000 };
const PROJECTS = ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((x) => `OS1-${x}`);
const deductionId = (p: string) => `PROGRESS_RECLAIM~project~${p}~2020-09-30`;
const checkpointFile = join(mkdtempSync(join(tmpdir(), 'jixiao-stream-')), 'checkpoint.json');
const endpoint = () => process.env.AWS_ENDPOINT_URL_DYNAMODB as string;
const table = () => process.env.TABLE_NAME as string;

let outbox: StreamHandler;
let reader: StreamReader | undefined;
const start = (opts: { checkpoint?: string; handler?: StreamHandler } = {}) =>
  startStreamReader({
    endpoint: endpoint(),
    table: table(),
    handler: opts.handler ?? outbox,
    checkpointFile: opts.checkpoint,
    pollMs: 100,
    retryDelayMs: 20,
    log: () => undefined,
  });

const decisions = async () => (await emailsTo([ADDRESS])).filter((m) => m.subject.includes('扣减申诉处理结果'));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Appeals a deduction, then decides it over HTTP; ms from the decision's request to its email in the inbox. */
async function decideAndTime(projectId: string, decision: 'uphold' | 'reverse'): Promise<number> {
  const before = (await decisions()).length;
  expect((await call(dept(DEPT), 'POST', `/v1/deductions/${deductionId(projectId)}/appeal`, { reason: '合同已签订' })).status).toBe(200);
  const t0 = performance_now();
  const res = await call(performance, 'POST', `/v1/deductions/${deductionId(projectId)}/decision`, { decision, comment: '已核实' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.emails).toBe(1);
  await waitFor('the decision email', async () => ((await decisions()).length > before ? true : undefined));
  return performance_now() - t0;
}
const performance_now = () => Number(process.hrtime.bigint() / 1_000_000n);

/** A stream record of a new email as Lambda would deliver it. */
const mailRecord = (id: string, seq: string): DynamoDBRecord => ({
  eventID: `ev-${seq}`,
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  dynamodb: { SequenceNumber: seq, NewImage: marshall({ ...keys.mail(id), entity: 'Mail', mailId: id }) as never, StreamViewType: 'NEW_IMAGE' },
});

beforeAll(async () => {
  await setupTable({ stream: true });
  const db = envDb();
  const depts = [[DEPT, ADDRESS], [SPLIT.deptId, SPLIT.address], ...CRASH_DEPTS.map((d) => [d, crashAddress(d)])];
  for (const [deptId, mail] of depts) {
    await departmentsRepo(db).putPlain({ deptId: deptId!, name: `部门${deptId}`, contactEmails: [mail!], version: 1, createdAt: '', updatedAt: '' });
  }
  await putProjects(
    db,
    PROJECTS.map((projectId) => project({ projectId, deptId: DEPT, year: 2020, level: 1, budgetFen: 10_000_000, spentByDay: { '2020-05-01': 2_000_000 } })),
  );
  outbox = (await loadHandler(JOB_FUNCTIONS.outbox.entry)) as StreamHandler;
  reader = start({ checkpoint: checkpointFile });
  const run = await runJob(
    depsAt(() => new Date()),
    { job: 'progress-reclaim', asOf: '2020-09-30', runId: 'stream-1', actor: SYSTEM },
  );
  expect(run.summary).toMatchObject({ deductions: 7, amountFen: 7 * 6_000_000, emails: 1 });
});

afterAll(async () => {
  await reader?.stop();
});

describe('emails from the stream', () => {
  it('sends the job run’s email with no dispatcher', async () => {
    const run = await waitFor('the run email', async () => (await emailsTo([ADDRESS])).find((m) => m.subject.includes('支出进度收回')));
    expect(run.subject).toBe('【绩效管理】2020-09-30 支出进度收回（progress-reclaim）：7 项预算调整，合计 420,000.00 元');
  });

  it('brings an HTTP action’s email to the inbox within 5 s', async () => {
    const samples: number[] = [];
    for (const [i, p] of PROJECTS.slice(0, 5).entries()) samples.push(await decideAndTime(p, i % 2 ? 'uphold' : 'reverse'));
    const sorted = [...samples].sort((a, b) => a - b);
    console.log(`HTTP decision → email in the inbox (ms): ${samples.join(', ')}; median ${sorted[2]}, max ${sorted[4]}`);
    expect(Math.max(...samples)).toBeLessThan(5000);
    expect((await decisions()).length).toBe(5);
    const sent = await getItem<MailItem>(envDb(), keys.mail(mailId(`deduction-decision~${deductionId(PROJECTS[0]!)}`, DEPT, 1)));
    expect(sent).toMatchObject({ status: 'sent', attempts: 1 });
    expect(sent).not.toHaveProperty('claimedUntil');
  });

  it('sends once when records come twice, or race the reader', async () => {
    const ids = PROJECTS.slice(0, 2).map((p) => mailId(`deduction-decision~${deductionId(p)}`, DEPT, 1));
    const again = await outbox({ Records: [mailRecord(ids[0]!, '1'), mailRecord(ids[0]!, '2'), mailRecord(ids[1]!, '3')] }, lambdaContext('outbox', 'dup'));
    expect(again).toEqual({ batchItemFailures: [] });
    // A new email delivered by the reader and, at the same moment, by two invocations of its own.
    const group = 'stream-race~2020-10-01';
    await putOutboxLine(envDb(), group, DEPT, 'race-1', { kind: 'notice', title: '测试', subject: '并发投递', details: ['同一记录三次投递'] });
    const [mail] = await sealGroup(envDb(), group, '2020-10-01 并发投递', new Date(), 'http://x');
    const event: DynamoDBStreamEvent = { Records: [mailRecord(mail!.mailId, '9')] };
    await Promise.all([outbox(event, lambdaContext('outbox', 'a')), outbox(event, lambdaContext('outbox', 'b'))]);
    await waitFor('the reader to see it', async () => ((await emailsTo([ADDRESS])).some((m) => m.subject.includes('并发投递')) ? true : undefined));
    await new Promise((r) => setTimeout(r, 600));
    expect((await emailsTo([ADDRESS])).filter((m) => m.subject.includes('并发投递'))).toHaveLength(1);
    expect((await decisions()).length).toBe(5);
  });

  it('goes on from its checkpoint after a restart, and a replay from the stream’s start sends nothing twice', async () => {
    await reader?.stop();
    const matchedBefore = reader!.stats().matched;
    expect(matchedBefore).toBeGreaterThanOrEqual(7);
    // While no reader runs, two more decisions: their emails wait, pending.
    await call(dept(DEPT), 'POST', `/v1/deductions/${deductionId(PROJECTS[5]!)}/appeal`, { reason: '理由' });
    await call(dept(DEPT), 'POST', `/v1/deductions/${deductionId(PROJECTS[6]!)}/appeal`, { reason: '理由' });
    await call(performance, 'POST', `/v1/deductions/${deductionId(PROJECTS[5]!)}/decision`, { decision: 'uphold', comment: '维持' });
    await call(performance, 'POST', `/v1/deductions/${deductionId(PROJECTS[6]!)}/decision`, { decision: 'uphold', comment: '维持' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await decisions()).length).toBe(5);
    reader = start({ checkpoint: checkpointFile });
    await waitFor('the two pending emails', async () => ((await decisions()).length === 7 ? true : undefined));
    expect(reader.stats().matched).toBe(2); // only what came after the checkpoint
    // A reader with no checkpoint reads every shard from TRIM_HORIZON: every email again, none sent again.
    const replay = start();
    await waitFor('the replay', async () => (replay.stats().matched >= matchedBefore + 2 ? true : undefined));
    await replay.stop();
    await new Promise((r) => setTimeout(r, 300));
    expect((await decisions()).length).toBe(7);
    expect((await emailsTo([ADDRESS])).filter((m) => m.subject.includes('支出进度收回'))).toHaveLength(1);
  });
});

describe('a handler that crashes mid-batch', () => {
  it('is retried, halved, from the failed record: every email exactly once', async () => {
    await reader?.stop();
    const group = 'stream-crash~2020-10-02';
    const db = envDb();
    for (const d of CRASH_DEPTS) await putOutboxLine(db, group, d, `${d}-1`, { kind: 'notice', title: '测试', subject: '中途崩溃', details: [d] });
    // Sealed with no reader running: the five INSERTs come in one read, one batch of 5.
    expect(await sealGroup(db, group, '2020-10-02 中途崩溃', new Date(), 'http://x')).toHaveLength(5);
    // DynamoDB fails once on the fourth email's claim; the first invocation dies after two sends.
    let failClaim = true;
    const flaky: Db = {
      table: db.table,
      doc: {
        send: (command: unknown) => {
          if (failClaim && command instanceof UpdateCommand && command.input.Key?.PK === `MAIL#${mailId(group, 'OSC4', 1)}`) {
            failClaim = false;
            return Promise.reject(Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' }));
          }
          return db.doc.send(command as never);
        },
      } as unknown as DynamoDBDocumentClient,
    };
    const real = makeHandler(flaky, sesMailer(sesClient(), config().MAIL_FROM));
    const batches: number[] = [];
    let crashed = false;
    const crashing: StreamHandler = async (event, context) => {
      batches.push(event.Records.length);
      if (!crashed) {
        crashed = true;
        await real({ Records: event.Records.slice(0, 2) }, context);
        throw new Error('Task timed out after 300.00 seconds');
      }
      return real(event, context);
    };
    reader = start({ checkpoint: checkpointFile, handler: crashing });
    const addresses = CRASH_DEPTS.map(crashAddress);
    await waitFor('five emails', async () => ((await emailsTo(addresses)).length === 5 ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(batches).toEqual([5, 3, 2, 2]); // crash; halves [1-3] and [4-5]; [4] named in batchItemFailures: [4-5] again
    expect(reader.stats()).toMatchObject({ errors: 1, deadLettered: 0 });
    const got = await emailsTo(addresses);
    expect(got.map((m) => m.destination.to[0]).sort()).toEqual([...addresses].sort());
    for (const d of CRASH_DEPTS) expect(await getItem<MailItem>(db, keys.mail(mailId(group, d, 1)))).toMatchObject({ status: 'sent', attempts: 1 });
    await reader.stop();
    reader = start({ checkpoint: checkpointFile });
  });
});

describe('a department with more lines than one item holds', () => {
  it('gets its email in parts (第1/N封), each item under 400 KB, every line once', async () => {
    const db = envDb();
    const group = 'progress-reclaim~2020-09-30-big';
    const line = (i: number): Extract<EmailLine, { kind: 'deduction' }> => ({
      kind: 'deduction',
      deductionId: `PROGRESS_RECLAIM~project~2020-OSP-${String(i).padStart(4, '0')}~2020-09-30`,
      rule: 'PROGRESS_RECLAIM',
      subject: `思明区中小学校舍维修改造工程第${i}标段`,
      subjectId: `2020-OSP-${String(i).padStart(4, '0')}`,
      amountFen: 1_000_000 + i,
      budgetBeforeFen: 10_000_000,
      budgetAfterFen: 9_000_000 - i,
      spentFen: 6_000_000,
      progressBp: 6000,
      thresholdBp: 8000,
      asOf: '2020-09-30',
      appealDeadline: '2020-10-11',
      notes: ['进度差额：2,000,000.00 元（收回比例 50.00%）'],
    });
    const t0 = Date.now();
    const puts = Array.from({ length: SPLIT.lines }, (_, i) => outboxLinePut(db, group, SPLIT.deptId, line(i + 1).deductionId, line(i + 1)).Put!.Item);
    const chunks = Array.from({ length: Math.ceil(puts.length / 25) }, (_, i) => puts.slice(i * 25, i * 25 + 25));
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let c = chunks.shift(); c; c = chunks.shift()) {
          let req: Record<string, unknown> | undefined = { [db.table]: c.map((Item) => ({ PutRequest: { Item } })) };
          while (req && Object.keys(req).length > 0) req = (await db.doc.send(new BatchWriteCommand({ RequestItems: req as never }))).UnprocessedItems;
        }
      }),
    );
    const t1 = Date.now();
    const mails = await sealGroup(db, group, '2020-09-30 支出进度收回（progress-reclaim）', new Date(), 'http://x');
    const t2 = Date.now();
    const n = mails.length;
    expect(n).toBeGreaterThan(1);
    expect(mails.map((m) => m.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(mails.reduce((s, m) => s + m.lineIds.length, 0)).toBe(SPLIT.lines);
    expect(new Set(mails.flatMap((m) => m.lineIds)).size).toBe(SPLIT.lines);
    let first = 1;
    for (const [i, m] of mails.entries()) {
      expect(m.subject).toContain(`（第${i + 1}/${n}封）`);
      expect(m.text).toContain(`分 ${n} 封发送，本封为第 ${i + 1} 封，为第 ${first}–${first + m.lineIds.length - 1} 项（共 3000 项）`);
      expect(m.text).toContain(`\n${first}.\n`);
      first += m.lineIds.length;
      expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThan(MAIL_ITEM_MAX_BYTES);
    }
    console.log(
      `3,000 lines → ${n} emails of ${mails.map((m) => m.lineIds.length).join(', ')} lines, ${mails.map((m) => Math.round(Buffer.byteLength(JSON.stringify(m)) / 1024)).join(', ')} KB`,
    );
    const inbox = await waitFor(
      'the parts',
      async () => {
        const got = await emailsTo([SPLIT.address]);
        return got.length === n ? got : undefined;
      },
      20_000,
    );
    console.log(`3,000 lines: written in ${t1 - t0} ms, sealed in ${t2 - t1} ms, in the inbox ${Date.now() - t2} ms later`);
    expect(inbox.map((m) => m.subject).sort()).toEqual(mails.map((m) => m.subject).sort());
    expect(await sealGroup(db, group, '2020-09-30 支出进度收回（progress-reclaim）', new Date(), 'http://x')).toEqual([]);
  }, 90_000);
});
