/**
 * The local adapter, in-process on a free port, against the DynamoDB Local and SES emulator of
 * the test run: what API Gateway would do in front of the real handlers, and the local routes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Adapter, startAdapter } from '../../local/adapter';
import type { LambdaHandler } from '../../local/lambda-emulator';
import { freePort, LOCAL_CREDENTIALS } from '../../local/services';
import { apiGatewayClaims, createLocalIssuer, type LocalIssuer } from '../../local/tokens';
import { setupTable } from '../support/harness';

let adapter: Adapter;
let issuer: LocalIssuer;
let base: string;
let keyDir: string;
const invoked: unknown[] = [];

const functions: Record<string, LambdaHandler> = {
  echo: async (event, context) => ({ echoed: event, functionName: context.functionName }),
  boom: async () => {
    throw new TypeError('the job fell over');
  },
  record: async (event) => {
    await new Promise((r) => setTimeout(r, 50));
    invoked.push(event);
  },
};

beforeAll(async () => {
  await setupTable();
  keyDir = mkdtempSync(join(tmpdir(), 'jixiao-keys-'));
  const port = await freePort();
  issuer = await createLocalIssuer({ issuer: `http://localhost:${port}/local`, keyFile: join(keyDir, 'key.json') });
  adapter = await startAdapter({
    port,
    issuer,
    sesEndpoint: process.env.AWS_ENDPOINT_URL_SESV2,
    quiet: true,
    functions: (name) => functions[name],
    log: () => undefined,
  });
  base = `http://127.0.0.1:${adapter.port}`;
});

afterAll(async () => {
  await adapter?.close();
  rmSync(keyDir, { recursive: true, force: true });
});

async function token(claims: { sub: string; roles: string[]; deptId?: string }): Promise<string> {
  const res = await fetch(`${base}/local/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(claims) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function call(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body:
      options.body === undefined ? undefined : typeof options.body === 'string' || Buffer.isBuffer(options.body) ? options.body : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as any) : undefined };
}

describe('the adapter as API Gateway', () => {
  it('answers /health without a token, with CORS headers', async () => {
    const res = await call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', service: 'jixiao' });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('refuses a protected route with no token, a bad token, or one API Gateway would not accept', async () => {
    const perf = await token({ sub: 'p', roles: ['performance'] });
    // Same issuer URL, same key file, but another audience: signed right, aimed elsewhere.
    const otherAudience = await createLocalIssuer({ issuer: issuer.issuer, audience: 'someone-else', keyFile: join(keyDir, 'key.json') });
    const otherIssuer = await createLocalIssuer({ issuer: 'http://localhost:1/elsewhere', keyFile: join(keyDir, 'key.json') });
    const otherKey = await createLocalIssuer({ issuer: issuer.issuer });
    const bad = [
      undefined,
      'not-a-jwt',
      `${perf.slice(0, -4)}AAAA`,
      (await otherAudience.sign({ sub: 'p', roles: ['performance'] })).token,
      (await otherIssuer.sign({ sub: 'p', roles: ['performance'] })).token,
      (await otherKey.sign({ sub: 'p', roles: ['performance'] })).token,
    ];
    for (const t of bad) {
      const res = await call('GET', '/v1/departments', { token: t });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: 'Unauthorized' });
    }
    const basic = await call('GET', '/v1/departments', { headers: { authorization: `Basic ${perf}` } });
    expect(basic.status).toBe(401);
    expect((await call('GET', '/v1/departments', { token: perf })).status).toBe(200);
  });

  it('refuses a token once it has expired (12 h)', async () => {
    const t = await token({ sub: 'p', roles: ['performance'] });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 12 * 3600_000 + 60_000);
      expect((await call('GET', '/v1/departments', { token: t })).status).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });

  it('passes the claims to the handler as API Gateway renders them: roles decide', async () => {
    const perf = await token({ sub: 'perf-1', roles: ['performance'] });
    const created = await call('PUT', '/v1/departments/DX1', { token: perf, body: { name: '市测试局', contactEmails: ['dx1@xm.gov.cn'], domain: '教育' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ deptId: 'DX1', name: '市测试局', version: 1 });

    const officer = await token({ sub: 'officer-1', roles: ['department'], deptId: 'DX1' });
    const refused = await call('PUT', '/v1/departments/DX2', { token: officer, body: { name: '市别的局', contactEmails: ['dx2@xm.gov.cn'] } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    // The deptId claim reaches the handler: the officer sees its own department only.
    const own = await call('GET', '/v1/departments', { token: officer });
    expect(own.body.items.map((d: { deptId: string }) => d.deptId)).toEqual(['DX1']);

    // Two roles travel as the string "[finance performance]" and still count.
    const both = await token({ sub: 'fp', roles: ['finance', 'performance'] });
    expect((await call('PUT', '/v1/departments/DX2', { token: both, body: { name: '市别的局', contactEmails: ['dx2@xm.gov.cn'] } })).status).toBe(201);
  });

  it('renders claims as strings, arrays as "[a b]"', () => {
    expect(
      apiGatewayClaims({ sub: 'u', roles: ['finance', 'performance'], exp: 1600000000, email_verified: true, deptId: 'D001', addr: { b: 1, a: 'x' } }),
    ).toEqual({
      sub: 'u',
      roles: '[finance performance]',
      exp: '1600000000',
      email_verified: 'true',
      deptId: 'D001',
      addr: 'map[a:x b:1]',
    });
  });

  it('answers 404 for an unknown path and for a wrong method, as API Gateway does', async () => {
    const unknown = await call('GET', '/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('ROUTE_NOT_FOUND');
    const wrongMethod = await call('DELETE', '/v1/departments');
    expect(wrongMethod.status).toBe(404);
    expect(wrongMethod.body.error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('refuses a body above 10 MB with 413, before any handler runs', async () => {
    const perf = await token({ sub: 'p', roles: ['performance'] });
    const huge = Buffer.alloc(11 * 1024 * 1024, 'a');
    const res = await call('PUT', '/v1/departments/DBIG', { token: perf, body: huge });
    expect(res.status).toBe(413);
    expect((await call('GET', '/v1/departments/DBIG', { token: perf })).status).toBe(404);
  });

  it('answers CORS preflights', async () => {
    const res = await fetch(`${base}/v1/projects`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,idempotency-key' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase().split(',')).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']),
    );
  });

  it('holds requests that need the services until they are up; /health answers at once', async () => {
    let open!: () => void;
    const ready = new Promise<void>((r) => (open = r));
    const gated = await startAdapter({ port: 0, issuer, ready, quiet: true, log: () => undefined });
    try {
      const url = `http://127.0.0.1:${gated.port}`;
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const t = await token({ sub: 'p', roles: ['performance'] });
      let answered = false;
      const pending = fetch(`${url}/v1/departments`, { headers: { authorization: `Bearer ${t}` } }).then((r) => {
        answered = true;
        return r.status;
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(answered).toBe(false);
      open();
      expect(await pending).toBe(200);
    } finally {
      await gated.close();
    }
  });
});

describe('local routes', () => {
  it('issues RS256 tokens verifiable with the published JWKS, and validates the request', async () => {
    const jwks = await call('GET', '/local/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys).toHaveLength(1);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.body.keys[0].d).toBeUndefined();
    const oidc = await call('GET', '/local/.well-known/openid-configuration');
    expect(oidc.body.jwks_uri).toBe(`${issuer.issuer}/.well-known/jwks.json`);

    const t = await token({ sub: 'officer-9', roles: ['department'], deptId: 'D009' });
    const [header, payload] = t
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'RS256', kid: jwks.body.keys[0].kid });
    expect(payload).toMatchObject({ sub: 'officer-9', roles: ['department'], deptId: 'D009', iss: issuer.issuer, aud: 'jixiao-local' });
    expect(payload.exp - payload.iat).toBe(12 * 3600);

    const bad = await call('POST', '/local/token', { body: { sub: '', roles: ['admin'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.roles.0', 'body.sub']);
  });

  it('keeps the signing key in the key file: a restarted issuer accepts earlier tokens', async () => {
    const t = await token({ sub: 'p', roles: ['performance'] });
    const restarted = await createLocalIssuer({ issuer: issuer.issuer, keyFile: join(keyDir, 'key.json') });
    expect((await restarted.verify(t))?.sub).toBe('p');
  });

  it('lists the emails the SES emulator received, newest first', async () => {
    const ses = new SESv2Client({ endpoint: process.env.AWS_ENDPOINT_URL_SESV2, region: 'local', credentials: LOCAL_CREDENTIALS });
    const tag = Math.random().toString(36).slice(2, 8);
    for (const n of [1, 2]) {
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'jixiao@finance.xm.gov.cn',
          Destination: { ToAddresses: ['dx1@xm.gov.cn'] },
          Content: { Simple: { Subject: { Data: `预算扣减通知 ${tag} #${n}` }, Body: { Text: { Data: `正文 ${n}` }, Html: { Data: `<p>正文 ${n}</p>` } } } },
        }),
      );
    }
    const res = await call('GET', '/local/emails');
    expect(res.status).toBe(200);
    const mine = res.body.items.filter((e: { subject: string }) => e.subject.includes(tag));
    expect(mine.map((e: { subject: string }) => e.subject)).toEqual([`预算扣减通知 ${tag} #2`, `预算扣减通知 ${tag} #1`]);
    expect(mine[0]).toMatchObject({ from: 'jixiao@finance.xm.gov.cn', to: ['dx1@xm.gov.cn'], text: '正文 2', html: '<p>正文 2</p>' });
    expect(Number.isNaN(Date.parse(mine[0].at))).toBe(false);
    expect(typeof mine[0].messageId).toBe('string');
  });
});

describe('the Lambda Invoke emulator, through @aws-sdk/client-lambda', () => {
  const lambda = () => new LambdaClient({ endpoint: base, region: 'ap-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const payload = (data: unknown) => new TextEncoder().encode(JSON.stringify(data));
  const decode = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes));

  it('runs a function synchronously and returns its result', async () => {
    const out = await lambda().send(new InvokeCommand({ FunctionName: 'echo', Payload: payload({ job: 'progress-reclaim', asOf: '2020-09-30' }) }));
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(decode(out.Payload)).toEqual({ echoed: { job: 'progress-reclaim', asOf: '2020-09-30' }, functionName: 'echo' });
  });

  it('accepts the function by ARN', async () => {
    const out = await lambda().send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:ap-east-1:123456789012:function:echo', Payload: payload({ a: 1 }) }));
    expect(decode(out.Payload).echoed).toEqual({ a: 1 });
  });

  it('reports a throw as an unhandled function error', async () => {
    const out = await lambda().send(new InvokeCommand({ FunctionName: 'boom', Payload: payload({}) }));
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(decode(out.Payload)).toMatchObject({ errorType: 'TypeError', errorMessage: 'the job fell over' });
  });

  it('answers an Event invocation with 202 and runs it in the background', async () => {
    invoked.length = 0;
    const out = await lambda().send(new InvokeCommand({ FunctionName: 'record', InvocationType: 'Event', Payload: payload({ runId: 'R1' }) }));
    expect(out.StatusCode).toBe(202);
    expect(invoked).toEqual([]);
    await adapter.lambda.drain();
    expect(invoked).toEqual([{ runId: 'R1' }]);
  });

  it('answers an unknown function with ResourceNotFoundException', async () => {
    await expect(lambda().send(new InvokeCommand({ FunctionName: 'nope', Payload: payload({}) }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
