/**
 * The benchmarks' launcher.
 *
 *   npm run bench                          # lists the benchmarks and what each measures
 *   npm run bench -- progress-reclaim 5000 # runs bench/progress-reclaim.ts with its arguments
 *
 * Each benchmark is a script of its own (it starts what it needs and prints comparable figures);
 * this runs one in a child process with its arguments and hands back its exit code.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = import.meta.dirname;
const NOT_BENCHES = new Set(['run.ts', 'support.ts']);

export function benches(): { name: string; summary: string }[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.ts') && !NOT_BENCHES.has(f))
    .sort()
    .map((f) => ({ name: f.slice(0, -3), summary: summaryOf(readFileSync(join(DIR, f), 'utf8')) }));
}

/** The first sentence of the file's opening comment, cut short for the list. */
function summaryOf(source: string): string {
  const comment = /^\/\*\*([\s\S]*?)\*\//.exec(source)?.[1] ?? '';
  const text = comment
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trim())
    .filter((l) => l && !l.startsWith('npx') && !l.startsWith('npm'))
    .join(' ');
  const sentence = (/^.*?\.(?=\s|$)/.exec(text)?.[0] ?? text).trim();
  return sentence.length > 110 ? `${sentence.slice(0, 107)}…` : sentence;
}

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const all = benches();
  if (!name || name === '--list') {
    console.log('Benchmarks (npm run bench -- <name> [args]):');
    for (const b of all) console.log(`  ${b.name.padEnd(22)} ${b.summary}`);
    return;
  }
  if (!all.some((b) => b.name === name)) {
    console.error(`No benchmark ${name}; there are: ${all.map((b) => b.name).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', join(DIR, `${name}.ts`), ...args], { stdio: 'inherit' });
  process.exitCode = await new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

await main();
