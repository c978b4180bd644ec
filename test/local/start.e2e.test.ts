/**
 * `npm start` as a user runs it: `npx tsx local/start.ts` in a child process on free ports,
 * in memory, without seed or scheduler. /health answers within 20 s, the API works once
 * DynamoDB Local is up, and a SIGINT stops everything, the JVM included.
 *
 * The SIGINT goes to the start.ts process alone (its pid from /local/status), not to the
 * process group as a terminal's Ctrl-C would: then the JVM gets no signal of its own and is
 * gone only if start.ts stops it.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../../local/services';

const ROOT = resolve(import.meta.dirname, '../..');
let child: ChildProcess | undefined;
let javaPid: number | undefined;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function javaOnPort(port: number): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes('DynamoDBLocal.jar') && line.includes(`-port ${port} `));
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(() => {
  // Whatever happened above, leave nothing running.
  if (child?.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (javaPid && alive(javaPid)) process.kill(javaPid, 'SIGKILL');
});

it('starts with /health within 20 s, serves the API, and stops everything on SIGINT', { timeout: 120_000 }, async () => {
  const [port, ddbPort, mailPort] = [await freePort(), await freePort(), await freePort()];
  let output = '';
  const started = Date.now();
  child = spawn('npx', ['tsx', 'local/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DDB_PORT: String(ddbPort),
      MAIL_PORT: String(mailPort),
      DATA_DIR: 'memory',
      SEED: 'none',
      LOCAL_SCHEDULER: 'off',
      QUIET: '1',
    },
    // Its own process group, so afterAll can clean up the whole tree if the test fails.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((done) => child?.once('exit', (code) => done(code)));
  const base = `http://127.0.0.1:${port}`;

  await waitFor('/health', 30_000, async () => ((await fetch(`${base}/health`)).status === 200 ? true : undefined));
  const healthSeconds = (Date.now() - started) / 1000;

  const token = (
    (await (
      await fetch(`${base}/local/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sub: 'e2e', roles: ['performance'] }),
      })
    ).json()) as { token: string }
  ).token;
  // Held by the adapter until DynamoDB Local is up, then answered.
  const put = await fetch(`${base}/v1/departments/D001`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: '市教育局', contactEmails: ['jyj@xm.gov.cn'], domain: '教育' }),
  });
  expect(put.status).toBe(201);
  const readySeconds = (Date.now() - started) / 1000;
  console.log(
    `npm start (SEED=none, DATA_DIR=memory): /health after ${healthSeconds.toFixed(1)} s, first DynamoDB request answered after ${readySeconds.toFixed(1)} s`,
  );
  expect(healthSeconds).toBeLessThan(20);

  const status = (await (await fetch(`${base}/local/status`)).json()) as { pid: number; services: string; dynamodb: { pid: number } };
  expect(status.services).toBe('ready');
  javaPid = status.dynamodb.pid;
  expect(alive(javaPid)).toBe(true);
  expect(javaOnPort(ddbPort)).toHaveLength(1);
  expect(output).toContain(`java pid ${javaPid}`);

  process.kill(status.pid, 'SIGINT');
  const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
  expect(code).toBe(0);
  expect(alive(status.pid)).toBe(false);
  expect(alive(javaPid)).toBe(false);
  expect(javaOnPort(ddbPort)).toEqual([]);
  expect(output).toContain(`DynamoDB Local (java pid ${javaPid}) stopped`);
  await expect(fetch(`${base}/health`)).rejects.toThrow();
});
