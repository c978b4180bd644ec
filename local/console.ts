/**
 * The web console on the local stack (SPEC §7): `npm start` builds web/ when its build is
 * missing or older than its sources, and the adapter serves web/dist at `/` on the API's own
 * origin, falling back to index.html for the console's own paths (a single-page app).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { PERMISSIONS_POLICY, REFERRER_POLICY, consoleCsp } from '../infra/console-policy';

export const WEB_DIR = resolve(import.meta.dirname, '..', 'web');
export const CONSOLE_DIST = join(WEB_DIR, 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/** What CloudFront's response-headers policy sends too (infra/console-policy.ts), HSTS aside (no TLS here). */
const SECURITY_HEADERS = {
  'content-security-policy': consoleCsp(),
  'x-content-type-options': 'nosniff',
  'referrer-policy': REFERRER_POLICY,
  'x-frame-options': 'DENY',
  'permissions-policy': PERMISSIONS_POLICY,
};

export interface StaticReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Serves a built console: hashed assets cached for a year, index.html never. */
export function consoleFiles(dist = CONSOLE_DIST) {
  const root = resolve(dist);
  return async (path: string): Promise<StaticReply | undefined> => {
    let rel: string;
    try {
      rel = normalize(decodeURIComponent(path)).replace(/^([/\\])+/, '');
    } catch {
      return undefined;
    }
    const file = resolve(root, rel);
    if (file !== root && !file.startsWith(root + sep)) return undefined;
    const isFile = existsSync(file) && statSync(file).isFile();
    // A path with an extension that is not there is a missing file, not a console page.
    if (!isFile && extname(rel) !== '') return undefined;
    const target = isFile ? file : join(root, 'index.html');
    if (!existsSync(target)) return undefined;
    const immutable = isFile && rel.startsWith('assets/');
    return {
      status: 200,
      headers: {
        'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        ...SECURITY_HEADERS,
      },
      body: await readFile(target),
    };
  };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Why the console must be built, or undefined when web/dist is newer than everything it is built from. */
export function staleReason(): string | undefined {
  const index = join(CONSOLE_DIST, 'index.html');
  if (!existsSync(index)) return 'web/dist is missing';
  const built = statSync(index).mtimeMs;
  const sources = [join(WEB_DIR, 'src'), join(WEB_DIR, 'index.html'), join(WEB_DIR, 'vite.config.ts'), join(WEB_DIR, 'package-lock.json')];
  const newest = Math.max(...sources.filter(existsSync).map((s) => (statSync(s).isDirectory() ? newestMtime(s) : statSync(s).mtimeMs)));
  return newest > built ? 'web/src changed since the last build' : undefined;
}

const LOCK = join(WEB_DIR, '.build-lock');
/** A lock older than this, or whose holder is gone, is left over from a build that died. */
const LOCK_STALE_MS = 120_000;

function leftOver(): boolean {
  try {
    if (Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) return true;
    process.kill(Number(readFileSync(join(LOCK, 'pid'), 'utf8')), 0);
    return false;
  } catch (error) {
    // ENOENT: released meanwhile, or taken and its pid not written yet (wait); ESRCH: its holder is gone.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** One build at a time across processes (npm start and the browser test may both want one). */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      break;
    } catch {
      if (leftOver()) rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Builds into a fresh folder and swaps it in, so web/dist is never half written, even when
 * the build is killed (npm start stopped while it builds).
 */
async function build(log: (line: string) => void): Promise<boolean> {
  const tmp = join(WEB_DIR, `.dist-${process.pid}`);
  const vite = join(WEB_DIR, 'node_modules', 'vite', 'bin', 'vite.js');
  const started = Date.now();
  const child = spawn(process.execPath, [vite, 'build', '--outDir', tmp, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: WEB_DIR,
    // A production build whoever asks: under vitest NODE_ENV is `test`, which Vite would build
    // with Vue's development code (80 KB of initial JavaScript instead of 61, and slower pages).
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = () => child.kill('SIGKILL');
  process.once('exit', stop);
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  process.off('exit', stop);
  if (code !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    log(`console build failed:\n${output}`);
    return false;
  }
  const old = `${CONSOLE_DIST}.old-${process.pid}`;
  if (existsSync(CONSOLE_DIST)) renameSync(CONSOLE_DIST, old);
  renameSync(tmp, CONSOLE_DIST);
  rmSync(old, { recursive: true, force: true });
  const size = output
    .split('\n')
    .find((l) => l.startsWith('console: initial JS'))
    ?.replace(/^console: /, '');
  log(`console built in ${((Date.now() - started) / 1000).toFixed(1)} s${size ? `: ${size}` : ''}`);
  return true;
}

/**
 * Builds the console if it is missing or stale (in a child process: the API answers meanwhile);
 * settles false, with a line saying why, when there is nothing to serve.
 */
export async function ensureConsoleBuilt(log: (line: string) => void): Promise<boolean> {
  const hasBuild = () => existsSync(join(CONSOLE_DIST, 'index.html'));
  if (!staleReason()) return true;
  if (!existsSync(join(WEB_DIR, 'node_modules', 'vite', 'bin', 'vite.js'))) {
    log(`console not built (${staleReason()}) and web/node_modules is missing: run npm install (it installs web/ too)`);
    return hasBuild();
  }
  return withBuildLock(async () => {
    // Another process may have built it while this one waited.
    const reason = staleReason();
    if (!reason) return true;
    log(`building the console (${reason})...`);
    return (await build(log)) || hasBuild();
  });
}
