/**
 * Handlers with mocked AWS clients: what they do when DynamoDB or SES answer in ways that are
 * hard to provoke against the real thing (conflicts, throttling, outages).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeHandler as makeOutbox } from '../../functions/jobs/outbox';
import { makeHandler as makeRunner } from '../../functions/jobs/runner';
import { makeHandler as makeProjects } from '../../functions/http/projects';
import { systemClock, ulidIds } from '../../shared/app/ports';
import { JOBS } from '../../shared/app/jobs/registry';
import { sesMailer } from '../../shared/aws/mailer';
import { buildEvent, matchRoute, type Match } from '../../local/router';
import { lambdaContext } from '../../local/invoke';
import { logger } from '../../shared/aws/logger';
import { depsFor } from '../../functions/compose';

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);
const doc = DynamoDBDocumentClient.from(new (await import('@aws-sdk/client-dynamodb')).DynamoDBClient({ region: 'local' }));
const db = { doc, table: 'jixiao-mocked' };
const deps = depsFor(db, systemClock, ulidIds);

const project = {
  PK: 'PROJ#P1',
  SK: 'PROJ',
  projectId: 'P1',
  year: 2020,
  deptId: 'D01',
  level: 2,
  parentId: 'L1',
  name: '校舍维修',
  category: 'infrastructure',
  domain: '教育',
  fundSource: 'general',
  budgetFen: 100_000_000,
  originalBudgetFen: 100_000_000,
  spentFen: 10_000_000,
  spentByDay: { '2020-03-01': 10_000_000 },
  deferrable: false,
  isNew: false,
  status: 'active',
  flags: [],
  childCount: 0,
  version: 1,
  createdAt: '2020-01-01T00:00:00.000Z',
  updatedAt: '2020-01-01T00:00:00.000Z',
  createdBy: 'x',
  requestHash: 'h',
};

function httpEvent(method: string, path: string, body: unknown) {
  const match = matchRoute(method, path) as Match;
  return buildEvent({
    method,
    path,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    claims: { sub: 'officer', roles: '[department]', deptId: 'D01' },
    match,
  });
}

beforeEach(() => {
  ddb.reset();
  ses.reset();
});
afterEach(() => {
  delete JOBS['handler-test'];
});

describe('expenditures handler', () => {
  it('re-reads and retries when the project moves under it, then books once', async () => {
    // Prepare: the project is read twice; the first transaction loses to a concurrent payment.
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: project })
      .resolves({ Item: { ...project, spentFen: 10_000_100 } });
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
        }),
      )
      .resolves({});
    // Act
    const handler = makeProjects(deps);
    const res = (await handler(
      httpEvent('POST', '/v1/projects/P1/expenditures', { expenditureId: 'E9', date: '2020-05-01', amountFen: 500, kind: 'payment' }),
      lambdaContext('projects', 'r1'),
    )) as { statusCode: number; body: string };
    // Assess: the second transaction was guarded by the fresh figures.
    expect(res.statusCode).toBe(201);
    expect(JSON.parse(res.body).project).toEqual({ projectId: 'P1', budgetFen: 100_000_000, spentFen: 10_000_600, progressBp: 1000 });
    const tx = ddb.commandCalls(TransactWriteCommand);
    expect(tx).toHaveLength(2);
    expect(tx[1]?.args[0].input.TransactItems?.[1]?.Update?.ExpressionAttributeValues).toMatchObject({ ':budget': 100_000_000, ':limit': 99_999_500 });
  });

  it('answers 500 without internals when DynamoDB fails', async () => {
    logger.setLogLevel('SILENT'); // the error is logged on purpose; keep the test output quiet
    ddb.on(GetCommand).rejects(new Error('socket hang up at 10.0.0.1'));
    const res = (await makeProjects(deps)(
      httpEvent('POST', '/v1/projects/P1/expenditures', { expenditureId: 'E9', date: '2020-05-01', amountFen: 500, kind: 'payment' }),
      lambdaContext('projects', 'r2'),
    )) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('10.0.0.1');
    expect(JSON.parse(res.body).error.code).toBe('INTERNAL');
    logger.setLogLevel('WARN');
  });
});

describe('outbox dispatcher', () => {
  const pending = {
    mailId: 'g~D01~1',
    group: 'g',
    deptId: 'D01',
    seq: 1,
    to: ['jyj@xm.gov.cn'],
    subject: 's',
    text: 't',
    html: '<p>t</p>',
    lineIds: ['a'],
    status: 'pending',
    attempts: 0,
    nextAttemptAt: '2020-10-01T00:00:00.000Z',
    createdAt: '2020-10-01T00:00:00.000Z',
  };

  it('keeps an email pending with a later attempt when SES throttles, and sends it next time', async () => {
    ddb.on(QueryCommand).resolves({ Items: [pending] });
    ddb.on(UpdateCommand).resolves({});
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
    ses.on(SendEmailCommand).rejectsOnce(throttled).resolves({ MessageId: 'm-1' });
    const handler = makeOutbox(db, sesMailer(new SESv2Client({ region: 'local' }), 'from@xm.gov.cn'), () => new Date('2020-10-01T00:00:00Z'));

    expect(await handler({})).toEqual({ sent: 0, retried: 1, failed: 0 });
    const retry = ddb.commandCalls(UpdateCommand)[1]?.args[0].input;
    expect(retry?.ExpressionAttributeValues).toMatchObject({ ':attempts': 1, ':next': '2020-10-01T00:01:00.000Z' });

    expect(await handler({})).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(2);
    expect(ses.commandCalls(SendEmailCommand)[1]?.args[0].input).toMatchObject({
      FromEmailAddress: 'from@xm.gov.cn',
      Destination: { ToAddresses: ['jyj@xm.gov.cn'] },
    });
  });

  it('marks an email failed on a permanent rejection instead of retrying forever', async () => {
    ddb.on(QueryCommand).resolves({ Items: [pending] });
    ddb.on(UpdateCommand).resolves({});
    ses
      .on(SendEmailCommand)
      .rejects(Object.assign(new Error('Email address is not verified'), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } }));
    const handler = makeOutbox(db, sesMailer(new SESv2Client({ region: 'local' }), 'from@xm.gov.cn'));
    expect(await handler({})).toEqual({ sent: 0, retried: 0, failed: 1 });
  });

  const record = (seq: string, mailId = pending.mailId) => ({
    eventID: `e${seq}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: { SequenceNumber: seq, NewImage: { entity: { S: 'Mail' }, mailId: { S: mailId } }, StreamViewType: 'NEW_IMAGE' },
  });

  it('sends a new email from a stream record, claiming its first attempt only', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { PK: `MAIL#${pending.mailId}`, SK: 'MAIL', ...pending, claimedUntil: 'x' } });
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-2' });
    const handler = makeOutbox(db, sesMailer(new SESv2Client({ region: 'local' }), 'from@xm.gov.cn'), () => new Date('2020-10-01T00:00:00Z'));
    expect(await handler({ Records: [record('100')] })).toEqual({ batchItemFailures: [] });
    const claim = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(claim?.ConditionExpression).toContain('attempts = :zero');
    expect(claim?.ReturnValues).toBe('ALL_NEW');
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).toMatchObject({ Destination: { ToAddresses: ['jyj@xm.gov.cn'] } });
    expect(ddb.commandCalls(UpdateCommand)[1]?.args[0].input.ExpressionAttributeValues).toMatchObject({ ':sent': 'sent', ':mid': 'm-2' });
  });

  it('skips a record whose email is taken, and names a record DynamoDB failed on for retry', async () => {
    const taken = Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
    ddb
      .on(UpdateCommand)
      .rejectsOnce(taken)
      .rejects(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }));
    const handler = makeOutbox(db, sesMailer(new SESv2Client({ region: 'local' }), 'from@xm.gov.cn'));
    expect(await handler({ Records: [record('1', 'a~D01~1'), record('2', 'b~D01~1')] })).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });
});

describe('job runner handler', () => {
  it('does nothing on a scheduled day the policy does not name for the job', async () => {
    let ran = 0;
    JOBS['handler-test'] = { name: 'handler-test', title: 't', dates: (_p, y) => [`${y}-09-30`], run: async () => ({ ran: ++ran }) };
    ddb.on(GetCommand).resolves({}); // no policy override: defaults
    const invoked: unknown[] = [];
    const handler = makeRunner(deps, { invokeAsync: async (_t, p) => void invoked.push(p) });
    // 2020-09-29 17:10Z is 2020-09-30 01:10 in Shanghai: as of 09-29 → not a date of the job.
    const out = await handler({ job: 'handler-test', scheduledTime: '2020-09-29T17:10:00Z', asOfOffsetDays: -1 });
    expect(out).toEqual({ status: 'skipped', job: 'handler-test', asOf: '2020-09-29' });
    expect(ran).toBe(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    expect(invoked).toEqual([]);
  });
});
