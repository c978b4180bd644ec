/**
 * Fixtures for the deductions, exemptions and spending-rule tests: projects put straight into
 * the table, deps with a fixed clock, a call through any handler (for a clock other than
 * today's), the emails the SES emulator holds for some addresses, and the ledger of a year.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../../shared/app/context';
import { ulidIds } from '../../shared/app/ports';
import { documentClient } from '../../shared/aws/clients';
import { type Db, queryAll } from '../../shared/aws/db';
import { keys } from '../../shared/aws/keys';
import { projectItem, stripKeys } from '../../shared/aws/projects-repo';
import { lambdaContext } from '../../local/invoke';
import { buildEvent, matchRoute } from '../../local/router';
import type { Deduction } from '../../shared/domain/ledger';
import type { Project } from '../../shared/domain/project';
import type { HttpResponse } from '../../shared/http/response';
import type { Caller, Res } from './harness';
import { depsFor } from '../../functions/compose';

export function envDb(table = process.env.TABLE_NAME as string): Db {
  return { doc: documentClient(), table };
}

export function depsAt(instant: string | (() => Date), db: Db = envDb()): AppDeps {
  const now = typeof instant === 'string' ? () => new Date(instant) : instant;
  return depsFor(db, { now }, ulidIds);
}

/** A stored project with the usual defaults; spending per day sums to spentFen. */
export function project(p: Partial<Project> & { projectId: string; deptId: string; year: number; budgetFen: number }): Project {
  const spentByDay = p.spentByDay ?? {};
  const spentFen = p.spentFen ?? Object.values(spentByDay).reduce((a, b) => a + b, 0);
  return {
    level: 2,
    parentId: p.level === 1 ? undefined : `${p.deptId}-L1`,
    name: `项目${p.projectId}`,
    category: 'operations',
    domain: '教育',
    fundSource: 'general',
    originalBudgetFen: p.budgetFen,
    deferrable: false,
    isNew: false,
    status: 'active',
    flags: [],
    childCount: 0,
    version: 1,
    createdAt: '2020-01-01T00:00:00.000Z',
    updatedAt: '2020-01-01T00:00:00.000Z',
    createdBy: 'fixture',
    requestHash: 'fixture',
    ...p,
    spentByDay,
    spentFen,
  } as Project;
}

export async function putProjects(db: Db, projects: Project[]): Promise<void> {
  for (let i = 0; i < projects.length; i += 25) {
    let request: Record<string, unknown[]> | undefined = {
      [db.table]: projects.slice(i, i + 25).map((p) => ({ PutRequest: { Item: stripUndefined(projectItem(p)) } })),
    };
    while (request && Object.keys(request).length > 0) {
      const out = await db.doc.send(new BatchWriteCommand({ RequestItems: request as never }));
      request = out.UnprocessedItems as typeof request;
    }
  }
}

function stripUndefined(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined));
}

/** Calls a handler made with other deps (e.g. another clock) the way the harness calls the live one. */
export async function callWith<T = any>(
  handler: (...args: any[]) => Promise<unknown>,
  caller: Caller | null,
  method: string,
  pathWithQuery: string,
  body?: unknown,
): Promise<Res<T>> {
  const url = new URL(pathWithQuery, 'http://local');
  const match = matchRoute(method, url.pathname);
  if (!match || 'methodMismatch' in match) throw new Error(`no route ${method} ${url.pathname}`);
  const event = buildEvent({
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    // English, as the harness asks (a response is Chinese by default).
    headers: { 'content-type': 'application/json', 'accept-language': 'en' },
    body: body === undefined ? undefined : JSON.stringify(body),
    claims: caller ? { sub: caller.sub, roles: caller.roles, ...(caller.deptId ? { deptId: caller.deptId } : {}) } : undefined,
    match,
  });
  const res = (await handler(event, lambdaContext('test', event.requestContext.requestId) as never)) as HttpResponse;
  return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : undefined) as T, headers: res.headers ?? {} };
}

export interface SentEmail {
  subject: string;
  destination: { to: string[] };
  body: { text: string; html: string };
  at: number;
}

/** The emails the SES emulator holds for these addresses (it is shared by all test files). */
export async function emailsTo(addresses: string[]): Promise<SentEmail[]> {
  const res = await fetch(`${process.env.AWS_ENDPOINT_URL_SESV2}/store`);
  const { emails } = (await res.json()) as { emails: SentEmail[] };
  return emails.filter((e) => e.destination.to.some((t) => addresses.includes(t)));
}

export async function ledgerOfYear(db: Db, year: number): Promise<Deduction[]> {
  const items = await queryAll(db, {
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.deductionsPartition(year) },
  });
  return items.map((i) => stripKeys<Deduction>(i)).sort((a, b) => a.deductionId.localeCompare(b.deductionId));
}

export async function projectsOf(db: Db, year: number): Promise<Map<string, Project>> {
  const items = await queryAll(db, {
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :pk',
    ExpressionAttributeValues: { ':pk': keys.projectsPartition(year) },
  });
  return new Map(items.map((i) => [i.projectId as string, stripKeys<Project>(i)]));
}
