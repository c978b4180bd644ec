/**
 * The outbox (SPEC §4). A line is written in the same transaction as the change it reports.
 * At the end of a job run (or right after a single change) the group is sealed: each
 * department's lines not yet covered by an email become one email item, pending. The
 * dispatcher sends pending emails, marks them sent, and retries transient failures with
 * backoff. A rerun finds its lines and emails already there, so nothing is sent twice; an email
 * whose send failed stays pending, so nothing is lost.
 */
import { PutCommand, UpdateCommand } from '@jixiao/aws-sdk';
import { type EmailContext, type MailItem, type OutboxLine, type RenderedEmail, renderEmail } from '../domain/email';
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

/** DynamoDB's limit on one item (400 KB, names and values in UTF-8). */
export const MAIL_ITEM_MAX_BYTES = 400 * 1024;
/** What one email item is cut at: the limit less room for its keys, addresses and state. */
export const MAIL_PART_BYTES = 300 * 1024;

type SealLine = { lineId: string; line: OutboxLine };
const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
const mailBytes = (r: RenderedEmail, lines: SealLine[]) => utf8(r.subject) + utf8(r.text) + utf8(r.html) + lines.reduce((n, l) => n + utf8(l.lineId) + 4, 0);

/**
 * A department's lines as one email, or, when that would not fit one item, as parts
 * (第1/3封, ...) each under `budget` bytes, cut between lines, numbered on across the parts.
 */
export function mailParts(ctx: EmailContext, lines: SealLine[], budget = MAIL_PART_BYTES): { lines: SealLine[]; rendered: RenderedEmail }[] {
  const whole = renderEmail(
    ctx,
    lines.map((l) => l.line),
  );
  if (mailBytes(whole, lines) <= budget) return [{ lines, rendered: whole }];
  // What a line adds next to the first one (same kind of subject and footer), and the envelope.
  const [head] = lines as [SealLine];
  const alone = mailBytes(renderEmail(ctx, [head.line]), [head]);
  const weightOf = (l: SealLine) => mailBytes(renderEmail(ctx, [head.line, l.line]), [head, l]) - alone;
  const base = alone - weightOf(head);
  const chunks: SealLine[][] = [[]];
  let size = base;
  for (const l of lines) {
    const weight = weightOf(l);
    if (size + weight > budget && (chunks.at(-1) as SealLine[]).length > 0) {
      chunks.push([]);
      size = base;
    }
    (chunks.at(-1) as SealLine[]).push(l);
    size += weight;
  }
  let firstNumber = 1;
  return chunks.map((chunk, i) => {
    const part = { index: i + 1, total: chunks.length, firstNumber, allLines: lines.length };
    firstNumber += chunk.length;
    const rendered = renderEmail(
      { ...ctx, part },
      chunk.map((l) => l.line),
    );
    if (mailBytes(rendered, chunk) > MAIL_ITEM_MAX_BYTES - 8 * 1024) throw new Error(`outbox line ${chunk[0]?.lineId} alone is too big for an email item`);
    return { lines: chunk, rendered };
  });
}

/**
 * Seals a group: one email per department for the lines no email covers yet (in parts when
 * they do not fit one item). Returns the emails it created.
 */
export async function sealGroup(db: Db, group: string, runTitle: string, now: Date, appUrl: string): Promise<MailItem[]> {
  const items = await queryAll(db, {
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.outboxGroupPartition(group) },
  });
  const byDept = new Map<string, SealLine[]>();
  for (const item of items) {
    const deptId = item.deptId as string;
    byDept.set(deptId, [...(byDept.get(deptId) ?? []), { lineId: item.lineId as string, line: item.line as OutboxLine }]);
  }
  const created: MailItem[] = [];
  const depts = departmentsRepo(db);
  for (const [deptId, lines] of byDept) {
    const covered = new Set<string>();
    let seq = 1;
    for (; ; seq++) {
      const existing = await getItem<MailItem>(db, keys.mail(mailId(group, deptId, seq)));
      if (!existing) break;
      for (const id of existing.lineIds) covered.add(id);
    }
    const fresh = lines.filter((l) => !covered.has(l.lineId)).sort((a, b) => a.lineId.localeCompare(b.lineId));
    if (fresh.length === 0) continue;
    const dept = await depts.get(deptId);
    const parts = mailParts({ departmentName: dept?.name ?? deptId, runTitle, appUrl }, fresh);
    for (const [i, part] of parts.entries()) {
      const mail = await putMail(
        db,
        { group, deptId, seq: seq + i, to: dept?.contactEmails ?? [], ...part.rendered, lineIds: part.lines.map((l) => l.lineId) },
        now,
      );
      if (mail) created.push(mail);
    }
  }
  return created;
}

/** Puts a new pending email; undefined when a concurrent seal put it first (it is there, which is all we need). */
async function putMail(db: Db, m: Omit<MailItem, 'mailId' | 'status' | 'attempts' | 'nextAttemptAt' | 'createdAt'>, now: Date): Promise<MailItem | undefined> {
  const at = now.toISOString();
  const mail: MailItem = { mailId: mailId(m.group, m.deptId, m.seq), ...m, status: 'pending', attempts: 0, nextAttemptAt: at, createdAt: at };
  try {
    await db.doc.send(
      new PutCommand({
        TableName: db.table,
        Item: { ...keys.mail(mail.mailId), ...keys.mailPendingIndex(at, mail.mailId), entity: 'Mail', v: 1, ...mail },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return mail;
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    return undefined;
  }
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

/** What one delivery attempt did: sent, to be retried later (backed off), failed for good. */
export type Delivery = 'sent' | 'retried' | 'failed';

/**
 * Sends one claimed email and records what happened. Only the send is caught: a failure to
 * record the result (DynamoDB down) propagates, leaving the claim to expire.
 */
export async function deliver(db: Db, mailer: Mailer, mail: MailItem, now: () => Date): Promise<Delivery> {
  let messageId: string;
  try {
    ({ messageId } = await mailer.send({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html }));
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
    return permanent ? 'failed' : 'retried';
  }
  await db.doc.send(
    new UpdateCommand({
      TableName: db.table,
      Key: keys.mail(mail.mailId),
      UpdateExpression: 'SET #status = :sent, sentAt = :at, messageId = :mid, attempts = attempts + :one REMOVE GSI3PK, GSI3SK, claimedUntil',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':sent': 'sent', ':at': now().toISOString(), ':mid': messageId, ':one': 1 },
    }),
  );
  return 'sent';
}

/** Sends due pending emails; safe to run concurrently (each email is claimed before sending). */
export async function dispatchPending(db: Db, mailer: Mailer, now: () => Date, concurrency = 4): Promise<DispatchResult> {
  const result: DispatchResult = { sent: 0, retried: 0, failed: 0 };
  const due = await queryAll<Record<string, unknown>>(db, {
    IndexName: 'GSI3',
    KeyConditionExpression: 'GSI3PK = :pk AND GSI3SK <= :now',
    ExpressionAttributeValues: { ':pk': keys.mailPendingPartition(), ':now': `${now().toISOString()}~` },
  });
  const queue = due.map((i) => stripKeys<MailItem>(i));
  const worker = async () => {
    for (let queued = queue.shift(); queued; queued = queue.shift()) {
      const mail = await claimMail(db, queued.mailId, now(), { known: queued });
      if (mail) result[await deliver(db, mailer, mail, now)]++;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return result;
}

/**
 * Claims a pending email for CLAIM_MS and returns it as it now is (or as `known`, when the answer
 * carries no attributes), or undefined when it is sent, failed, or held by another dispatcher.
 * `firstAttemptOnly`: only an email never tried yet (the stream's share; retries and their
 * backoff belong to the scheduled dispatcher).
 */
export async function claimMail(
  db: Db,
  id: string,
  now: Date,
  { firstAttemptOnly = false, known }: { firstAttemptOnly?: boolean; known?: MailItem } = {},
): Promise<MailItem | undefined> {
  try {
    const out = await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.mail(id),
        UpdateExpression: 'SET claimedUntil = :until',
        ConditionExpression: `#status = :pending AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)${firstAttemptOnly ? ' AND attempts = :zero' : ''}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':pending': 'pending',
          ':now': now.toISOString(),
          ':until': new Date(now.getTime() + CLAIM_MS).toISOString(),
          ...(firstAttemptOnly ? { ':zero': 0 } : {}),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes ? stripKeys<MailItem>(out.Attributes) : known;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
    throw error;
  }
}
