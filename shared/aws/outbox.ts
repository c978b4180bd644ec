/**
 * The outbox (SPEC §4). A line is written in the same transaction as the change it reports.
 * At the end of a job run (or right after a single change) the group is sealed: each
 * department's lines not yet covered by an email become one email item, pending. The
 * dispatcher sends pending emails, marks them sent, and retries transient failures with
 * backoff. A rerun finds its lines and emails already there, so nothing is sent twice; an email
 * whose send failed stays pending, so nothing is lost.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type MailItem, type OutboxLine, renderEmail } from '../domain/email';
import { type Db, getItem, queryAll, type TransactItem } from './db';
import { departmentsRepo } from './departments-repo';
import { keys } from './keys';
import { isTransient, type Mailer } from './mailer';
import { stripKeys } from './projects-repo';

export type { MailItem, OutboxLine };

export function outboxLinePut(db: Db, group: string, deptId: string, lineId: string, line: OutboxLine): TransactItem {
  return {
    Put: {
      TableName: db.table,
      Item: {
        ...keys.outboxLine(group, deptId, lineId),
        ...keys.outboxGroupIndex(group, deptId, lineId),
        entity: 'OutboxLine',
        v: 1,
        group,
        deptId,
        lineId,
        line,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  };
}

export const mailId = (group: string, deptId: string, seq: number) => `${group}~${deptId}~${seq}`;

/**
 * Seals a group: one email per department for the lines no email covers yet.
 * Returns the emails it created.
 */
export async function sealGroup(
  db: Db,
  group: string,
  runTitle: string,
  now: Date,
  appUrl: string,
): Promise<MailItem[]> {
  const items = await queryAll(db, {
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.outboxGroupPartition(group) },
  });
  const byDept = new Map<string, { lineId: string; line: OutboxLine }[]>();
  for (const item of items) {
    const deptId = item.deptId as string;
    byDept.set(deptId, [...(byDept.get(deptId) ?? []), { lineId: item.lineId as string, line: item.line as OutboxLine }]);
  }
  const created: MailItem[] = [];
  const depts = departmentsRepo(db);
  for (const [deptId, lines] of byDept) {
    const covered = new Set<string>();
    let seq = 1;
    for (;; seq++) {
      const existing = await getItem<MailItem>(db, keys.mail(mailId(group, deptId, seq)));
      if (!existing) break;
      for (const id of existing.lineIds) covered.add(id);
    }
    const fresh = lines.filter((l) => !covered.has(l.lineId)).sort((a, b) => a.lineId.localeCompare(b.lineId));
    if (fresh.length === 0) continue;
    const dept = await depts.get(deptId);
    const rendered = renderEmail({ departmentName: dept?.name ?? deptId, runTitle, appUrl }, fresh.map((l) => l.line));
    const at = now.toISOString();
    const mail: MailItem = {
      mailId: mailId(group, deptId, seq),
      group,
      deptId,
      seq,
      to: dept?.contactEmails ?? [],
      ...rendered,
      lineIds: fresh.map((l) => l.lineId),
      status: 'pending',
      attempts: 0,
      nextAttemptAt: at,
      createdAt: at,
    };
    try {
      await db.doc.send(
        new PutCommand({
          TableName: db.table,
          Item: { ...keys.mail(mail.mailId), ...keys.mailPendingIndex(at, mail.mailId), entity: 'Mail', v: 1, ...mail },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      created.push(mail);
    } catch (error) {
      // A concurrent run sealed the same email first: it is there, which is all we need.
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
  return created;
}

/** Puts one line on its own, outside any transaction; false if it is there already (a rerun). */
export async function putOutboxLine(db: Db, group: string, deptId: string, lineId: string, line: OutboxLine): Promise<boolean> {
  const put = outboxLinePut(db, group, deptId, lineId, line).Put;
  try {
    await db.doc.send(new PutCommand(put as NonNullable<typeof put>));
    return true;
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    return false;
  }
}

/** The outbox: lines written with the changes they report, emails sealed from them. */
export function outboxRepo(db: Db) {
  return {
    putLine: (group: string, deptId: string, lineId: string, line: OutboxLine) => putOutboxLine(db, group, deptId, lineId, line),
    seal: (group: string, runTitle: string, now: Date, appUrl: string) => sealGroup(db, group, runTitle, now, appUrl),
  };
}
export type OutboxRepo = ReturnType<typeof outboxRepo>;

export interface DispatchResult {
  sent: number;
  retried: number;
  failed: number;
}

const MAX_ATTEMPTS = 10;
const CLAIM_MS = 60_000;

/** Sends due pending emails; safe to run concurrently (each email is claimed before sending). */
export async function dispatchPending(db: Db, mailer: Mailer, now: () => Date, concurrency = 4): Promise<DispatchResult> {
  const result: DispatchResult = { sent: 0, retried: 0, failed: 0 };
  const due = await queryAll<Record<string, unknown>>(db, {
    IndexName: 'GSI3',
    KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :now',
    ExpressionAttributeValues: { ':pk': keys.mailPendingPartition(), ':now': `${now().toISOString()}~` },
  });
  const queue = due.map((i) => stripKeys<MailItem & { claimedUntil?: string }>(i));
  const worker = async () => {
    for (let mail = queue.shift(); mail; mail = queue.shift()) {
      const claimed = await claim(db, mail.mailId, now());
      if (!claimed) continue;
      try {
        const { messageId } = await mailer.send({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
        await db.doc.send(
          new UpdateCommand({
            TableName: db.table,
            Key: keys.mail(mail.mailId),
            UpdateExpression: 'SET #status = :sent, sentAt = :at, messageId = :mid, attempts = attempts + :one REMOVE GSI3PK, GSI3SK, claimedUntil',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':sent': 'sent', ':at': now().toISOString(), ':mid': messageId, ':one': 1 },
          }),
        );
        result.sent++;
      } catch (error) {
        const attempts = mail.attempts + 1;
        const permanent = !isTransient(error) || attempts >= MAX_ATTEMPTS;
        const next = new Date(now().getTime() + Math.min(2 ** attempts * 30_000, 3_600_000)).toISOString();
        await db.doc.send(
          new UpdateCommand({
            TableName: db.table,
            Key: keys.mail(mail.mailId),
            UpdateExpression: permanent
              ? 'SET #status = :failed, attempts = :attempts, lastError = :err REMOVE GSI3PK, GSI3SK, claimedUntil'
              : 'SET attempts = :attempts, lastError = :err, nextAttemptAt = :next, GSI3SK = :sk REMOVE claimedUntil',
            ExpressionAttributeNames: permanent ? { '#status': 'status' } : undefined,
            ExpressionAttributeValues: permanent
              ? { ':failed': 'failed', ':attempts': attempts, ':err': String((error as Error).message ?? error) }
              : { ':attempts': attempts, ':err': String((error as Error).message ?? error), ':next': next, ':sk': `${next}#${mail.mailId}` },
          }),
        );
        if (permanent) result.failed++;
        else result.retried++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return result;
}

async function claim(db: Db, id: string, now: Date): Promise<boolean> {
  try {
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.mail(id),
        UpdateExpression: 'SET claimedUntil = :until',
        ConditionExpression: '#status = :pending AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':pending': 'pending',
          ':now': now.toISOString(),
          ':until': new Date(now.getTime() + CLAIM_MS).toISOString(),
        },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
