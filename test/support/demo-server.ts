/**
 * `npm start` with the demo, for the browser tests: `npx tsx local/start.ts` in a child process
 * on free ports, in memory, the scheduler and the stream reader off.
 *
 * With no cache (a clean clone, CI, or a change to the seed's code) `npm start` runs with
 * SEED=demo, the test waits for the seed, and that very server is the test's. Its table is then
 * scanned, item for item, into `.local/e2e-demo/<key>.jsonl.gz`, where the key hashes the code
 * the seed runs (local/seed, shared's use cases, rules and repositories, the lockfile); a later
 * run on the checkout starts `npm start` with SEED=none and writes the file's items back (the
 * seed's marker among them) before the browser comes. DEMO_CACHE=off (.ci/run) neither reads nor
 * writes the cache: a clone that is thrown away would only pay the scan. (A persisted DATA_DIR
 * would be the same idea, but DynamoDB Local on disk seeds several times slower.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type AttributeValue, BatchWriteItemCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ensureConsoleBuilt } from '../../local/console';
import { freePort, LOCAL_CREDENTIALS } from '../../local/services';

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

const TABLE = 'jixiao-local';
type Item = Record<string, AttributeValue>;

interface Started {
  child: ChildProcess;
  ddb: string;
  /** start.ts's own pid (from /local/status): npx and tsx in between do not pass a SIGTERM on. */
  pid?: number;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function startLocal(seed: 'demo' | 'none'): Promise<Started> {
  const [port, ddbPort, mailPort] = [await freePort(), await freePort(), await freePort()];
  let output = '';
  const child = spawn('npx', ['tsx', 'local/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DDB_PORT: String(ddbPort),
      MAIL_PORT: String(mailPort),
      DATA_DIR: 'memory',
      SEED: seed,
      LOCAL_SCHEDULER: 'off',
      LOCAL_STREAM: 'off',
      QUIET: '1',
    },
    // Its own process group: if it does not stop on SIGTERM, the whole tree is killed.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, ddb: `http://127.0.0.1:${ddbPort}`, base: `http://127.0.0.1:${port}`, output: () => output, exited };
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
    if (status?.services === 'ready' && (state === 'done' || state === 'skipped' || state === 'off')) {
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
async function startReady(seed: 'demo' | 'none', timeoutMs: number): Promise<{ s: Started; seed: Record<string, unknown> }> {
  for (let attempt = 1; ; attempt++) {
    const s = await startLocal(seed);
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

const client = (endpoint: string) => new DynamoDBClient({ endpoint, region: 'local', credentials: LOCAL_CREDENTIALS, maxAttempts: 10 });

/** Every item of the table, in four parallel segments. */
async function scanAll(endpoint: string): Promise<Item[]> {
  const ddb = client(endpoint);
  const segments = await Promise.all(
    [0, 1, 2, 3].map(async (Segment) => {
      const items: Item[] = [];
      let ExclusiveStartKey: Item | undefined;
      do {
        const out = await ddb.send(new ScanCommand({ TableName: TABLE, Segment, TotalSegments: 4, ExclusiveStartKey }));
        items.push(...(out.Items ?? []));
        ExclusiveStartKey = out.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items;
    }),
  );
  ddb.destroy();
  return segments.flat();
}

/** Writes the items back, 25 a request, eight requests at a time, retrying what is left unprocessed. */
async function writeAll(endpoint: string, items: Item[]): Promise<void> {
  const ddb = client(endpoint);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const start = next;
      next += 25;
      if (start >= items.length) return;
      let request: Record<string, { PutRequest: { Item: Item } }[]> | undefined = {
        [TABLE]: items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } })),
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        const out = await ddb.send(new BatchWriteItemCommand({ RequestItems: request }));
        request = out.UnprocessedItems as typeof request;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  ddb.destroy();
}

/** The cached demo of this seed's code, if a run on this checkout already seeded it. */
function cachedItems(file: string): Item[] | undefined {
  if (!existsSync(file)) return undefined;
  return gunzipSync(readFileSync(file))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Item);
}

/** Scans the freshly seeded table into the cache (older keys are stale: the seed's code changed since). */
async function writeCache(endpoint: string, key: string, file: string): Promise<number> {
  const items = await scanAll(endpoint);
  mkdirSync(CACHE, { recursive: true });
  for (const old of readdirSync(CACHE)) if (old !== `${key}.jsonl.gz`) rmSync(join(CACHE, old), { recursive: true, force: true });
  writeFileSync(`${file}.tmp`, gzipSync(items.map((i) => JSON.stringify(i)).join('\n')));
  renameSync(`${file}.tmp`, file);
  return items.length;
}

/**
 * `npm start` with the demo: the cached table written back into a SEED=none start, or, with no
 * cache (a clean clone, CI, a change to the seed's code), `npm start` seeding it, that very
 * server then used as it is. Its table goes into the cache unless DEMO_CACHE=off (CI sets it:
 * a clean clone never reads the cache back, and the scan would only add to the run).
 */
async function startSeeded(log: (line: string) => void): Promise<{ s: Started; fromCache: boolean; seconds: number }> {
  const key = seedKey();
  const file = join(CACHE, `${key}.jsonl.gz`);
  const cache = process.env.DEMO_CACHE !== 'off';
  const items = cache ? cachedItems(file) : undefined;
  if (items) {
    const started = Date.now();
    const { s } = await startReady('none', 180_000);
    try {
      await writeAll(s.ddb, items);
    } catch (e) {
      await stop(s);
      throw e;
    }
    log(`demo: ${items.length} items of the cache written back in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { s, fromCache: true, seconds: 0 };
  }
  log(`demo seed: ${cache ? `no cached demo for key ${key}; ` : ''}npm start seeds it...`);
  const { s, seed } = await startReady('demo', 1_800_000);
  const seconds = Number(seed.seconds ?? 0);
  log(`demo seed: ${seed.items} items in ${seconds.toFixed(1)} s`);
  if (cache) {
    const t = Date.now();
    try {
      const n = await writeCache(s.ddb, key, file);
      log(`demo: ${n} items scanned into ${file} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    } catch (e) {
      await stop(s);
      throw e;
    }
  }
  return { s, fromCache: false, seconds };
}

export async function startDemo(log: (line: string) => void = () => undefined): Promise<DemoServer> {
  // Built first, not inside npm start: the build and the JVM's start would share the cores.
  if (!(await ensureConsoleBuilt(log))) throw new Error('web/dist could not be built');
  const started = Date.now();
  const { s, fromCache, seconds } = await startSeeded(log);
  const startSeconds = (Date.now() - started) / 1000;
  return {
    base: s.base,
    seeded: { fromCache, seconds },
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
    },
  };
}
