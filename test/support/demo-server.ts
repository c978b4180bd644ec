/**
 * `npm start` with the demo, for the browser tests: `npx tsx local/start.ts` in a child process
 * on free ports, the scheduler off, over a persisted DATA_DIR.
 *
 * The demo seed takes two minutes or more (the evaluation season and the front go through the
 * use cases), far more than the flows on top of it. So the seeded DATA_DIR (DynamoDB Local's
 * file, the signing key, the stream checkpoint) is kept in `.local/e2e-demo/<key>/`, where the
 * key hashes the code the seed runs (local/seed, shared's use cases, rules and repositories, the
 * lockfile): the first run
 * on a checkout seeds it exactly as `npm start` does and stops; every run then starts
 * `npm start` over a fresh copy of it, which finds the seed's marker and skips the seed, as a
 * second `npm start` over the same DATA_DIR does. A change to the seed's code is a new key.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { ensureConsoleBuilt } from '../../local/console';
import { freePort } from '../../local/services';

const ROOT = resolve(import.meta.dirname, '../..');
const CACHE = join(ROOT, '.local', 'e2e-demo');
/** What the seeded data depends on: the generators, the use cases, rules and repositories they call, the table's definition. */
const SEED_SOURCES = ['local/seed', 'local/services.ts', 'shared/app', 'shared/aws', 'shared/domain', 'functions/compose.ts', 'package-lock.json'];

export interface DemoServer {
  base: string;
  /** How the demo came to be: seeded by this run (seconds) or copied from the cache. */
  seeded: { fromCache: boolean; seconds: number };
  startSeconds: number;
  token(roles: string[], deptId?: string): Promise<string>;
  stop(): Promise<void>;
}

function files(path: string): string[] {
  const full = join(ROOT, path);
  if (!existsSync(full)) return [];
  if (statSync(full).isFile()) return [path];
  return readdirSync(full, { withFileTypes: true })
    .filter((e) => e.name !== 'node_modules' && !e.name.startsWith('.'))
    .flatMap((e) => files(join(path, e.name)));
}

export function seedKey(): string {
  const hash = createHash('sha256');
  for (const f of SEED_SOURCES.flatMap(files).sort())
    hash
      .update(f)
      .update('\0')
      .update(readFileSync(join(ROOT, f)))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

interface Started {
  child: ChildProcess;
  /** start.ts's own pid (from /local/status): npx and tsx in between do not pass a SIGTERM on. */
  pid?: number;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function startLocal(dataDir: string): Promise<Started> {
  const [port, ddbPort, mailPort] = [await freePort(), await freePort(), await freePort()];
  let output = '';
  const child = spawn('npx', ['tsx', 'local/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DDB_PORT: String(ddbPort),
      MAIL_PORT: String(mailPort),
      DATA_DIR: relative(ROOT, dataDir) || dataDir,
      SEED: 'demo',
      LOCAL_SCHEDULER: 'off',
      QUIET: '1',
    },
    // Its own process group: if it does not stop on SIGTERM, the whole tree is killed.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, base: `http://127.0.0.1:${port}`, output: () => output, exited };
}

/** Waits until /local/status says the seed is done (or skipped) and the console is served. */
async function ready(s: Started, timeoutMs: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (s.child.exitCode !== null) throw new Error(`npm start exited (${s.child.exitCode}):\n${s.output()}`);
    const status = await fetch(`${s.base}/local/status`)
      .then((r) => (r.ok ? (r.json() as Promise<{ services: string; seed: Record<string, unknown> }>) : undefined))
      .catch(() => undefined);
    if (status) s.pid = (status as { pid?: number }).pid;
    const state = status?.seed.state;
    if (state === 'failed') throw new Error(`the demo seed failed: ${String(status?.seed.error)}\n${s.output()}`);
    if (status?.services === 'ready' && (state === 'done' || state === 'skipped')) {
      // The console is built (or rebuilt when stale) while the services start: wait for it too.
      const page = await fetch(`${s.base}/signin`).catch(() => undefined);
      if (page?.status === 200) return status.seed;
    }
    if (Date.now() > deadline) throw new Error(`npm start: the demo was not ready after ${timeoutMs / 1000} s:\n${s.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Starts npm start and waits for it; on a loaded machine DynamoDB Local may miss start.ts's 30 s
 * to answer, and npm start then exits: that is tried again (twice), anything else is an error.
 */
async function startReady(dataDir: string, timeoutMs: number, fresh: () => void): Promise<{ s: Started; seed: Record<string, unknown> }> {
  for (let attempt = 1; ; attempt++) {
    fresh();
    const s = await startLocal(dataDir);
    try {
      return { s, seed: await ready(s, timeoutMs) };
    } catch (e) {
      await stop(s);
      if (attempt >= 4 || !/DynamoDB Local did not answer/.test(s.output())) throw e;
    }
  }
}

async function stop(s: Started): Promise<void> {
  if (s.child.exitCode !== null || !s.child.pid) return;
  // SIGTERM to start.ts alone: it stops DynamoDB Local (which writes its file) and the rest.
  try {
    process.kill(s.pid ?? s.child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  const code = await Promise.race([s.exited, new Promise<'late'>((r) => setTimeout(() => r('late'), 20_000))]);
  if (code === 'late') {
    try {
      process.kill(-s.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Seeds the demo into the cache once per key (minutes), under a lock directory. */
async function seededDataDir(log: (line: string) => void): Promise<{ dir: string; fromCache: boolean; seconds: number }> {
  const key = seedKey();
  const dir = join(CACHE, key);
  if (existsSync(join(dir, 'dynamodb'))) return { dir, fromCache: true, seconds: 0 };
  mkdirSync(CACHE, { recursive: true });
  const building = join(CACHE, `${key}.building-${process.pid}`);
  const started = Date.now();
  log(`demo seed: no cached demo for key ${key}; seeding it as npm start does (a few minutes, once per change of the seed's code)...`);
  const { s } = await startReady(building, 1_200_000, () => {
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building);
  });
  await stop(s);
  const seconds = (Date.now() - started) / 1000;
  // Older keys are stale: the seed's code changed since.
  for (const old of readdirSync(CACHE)) if (old !== key && !old.includes('.building-')) rmSync(join(CACHE, old), { recursive: true, force: true });
  if (existsSync(dir)) rmSync(building, { recursive: true, force: true });
  else renameSync(building, dir);
  return { dir, fromCache: false, seconds };
}

export async function startDemo(log: (line: string) => void = () => undefined): Promise<DemoServer> {
  // Built first, not inside npm start: the build and the JVM's start would share the cores.
  if (!(await ensureConsoleBuilt(log))) throw new Error('web/dist could not be built');
  const seeded = await seededDataDir(log);
  const copy = mkdtempSync(join(tmpdir(), 'jixiao-demo-'));
  const started = Date.now();
  const { s, seed } = await startReady(copy, 180_000, () => {
    rmSync(copy, { recursive: true, force: true });
    cpSync(seeded.dir, copy, { recursive: true });
  }).catch((e: unknown) => {
    rmSync(copy, { recursive: true, force: true });
    throw e;
  });
  if (seed.state !== 'skipped') {
    await stop(s);
    throw new Error(`expected the cached demo, got seed state ${String(seed.state)}`);
  }
  const startSeconds = (Date.now() - started) / 1000;
  return {
    base: s.base,
    seeded: { fromCache: seeded.fromCache, seconds: seeded.seconds },
    startSeconds,
    async token(roles, deptId) {
      const res = await fetch(`${s.base}/local/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sub: deptId ? `officer-${deptId}` : `${roles[0]}-officer`, roles, ...(deptId ? { deptId } : {}) }),
      });
      return ((await res.json()) as { token: string }).token;
    },
    async stop() {
      await stop(s);
      rmSync(copy, { recursive: true, force: true });
    },
  };
}
