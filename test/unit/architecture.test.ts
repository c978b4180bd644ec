/**
 * The "Done when" of issue 8, read from the source with the TypeScript compiler API:
 * - shared/app has no `@aws-sdk` import (nor of our SDK facade `@jixiao/aws-sdk`) and no DynamoDB expression (KeyConditionExpression,
 *   ConditionExpression, UpdateExpression, TransactItems, `attribute_not_exists(…)`, `x = :y`…);
 * - shared/aws and shared/domain import nothing from shared/app;
 * - the modules of shared/ import each other without a circle (type-only imports count);
 * - no file in shared/app passes 350 lines and no function there passes 60;
 * - shared/files (file formats: the XLSX codec) is a leaf: it imports only itself and node:
 *   modules, and holds to the same file and function sizes as shared/app.
 */
import { describe, expect, it } from 'vitest';
import { importCycles, listTs, type Module, readModule } from '../support/source-graph';

type Rule = 'aws-sdk' | 'expressions' | 'upward-import' | 'cycle' | 'file-lines' | 'function-lines';

const MAX_FILE_LINES = 350;
const MAX_FUNCTION_LINES = 60;

/**
 * The files that still break a rule on this branch while the other engineers of issue 8 move
 * their use cases onto repositories (computed 2026-12-01 on branch arch-platform). The lead
 * empties it at merge. It can only shrink: a file listed for a rule it no longer breaks fails
 * the test until its entry is removed.
 */
const STILL_MIGRATING: Readonly<Record<string, readonly Rule[]>> = {};

const modules: Module[] = listTs('shared').map(readModule);
const inApp = (m: Module) => m.file.startsWith('shared/app/');
const inFiles = (m: Module) => m.file.startsWith('shared/files/');

function violations(): Map<string, Map<Rule, string[]>> {
  const found = new Map<string, Map<Rule, string[]>>();
  const add = (file: string, rule: Rule, detail: string) => {
    const rules = found.get(file) ?? new Map<Rule, string[]>();
    rules.set(rule, [...(rules.get(rule) ?? []), detail]);
    found.set(file, rules);
  };
  for (const m of modules) {
    if (inApp(m)) {
      for (const s of m.specifiers.filter((s) => s.startsWith('@aws-sdk/') || s === '@jixiao/aws-sdk')) add(m.file, 'aws-sdk', s);
      for (const e of m.expressions) add(m.file, 'expressions', e);
    }
    if (inApp(m) || inFiles(m)) {
      if (m.lines > MAX_FILE_LINES) add(m.file, 'file-lines', `${m.lines} lines`);
      for (const f of m.functions.filter((f) => f.lines > MAX_FUNCTION_LINES)) add(m.file, 'function-lines', `${f.name} (line ${f.line}): ${f.lines} lines`);
    }
    if (m.file.startsWith('shared/aws/') || m.file.startsWith('shared/domain/')) {
      for (const i of m.imports.filter((i) => i.startsWith('shared/app/'))) add(m.file, 'upward-import', i);
    }
    if (inFiles(m)) {
      for (const i of m.imports.filter((i) => !i.startsWith('shared/files/'))) add(m.file, 'upward-import', i);
      for (const s of m.specifiers.filter((s) => !s.startsWith('.') && !s.startsWith('node:'))) add(m.file, 'upward-import', s);
    }
  }
  for (const cycle of importCycles(modules)) for (const file of cycle) add(file, 'cycle', cycle.join(' → '));
  return found;
}

const found = violations();
const RULES: Rule[] = ['aws-sdk', 'expressions', 'upward-import', 'cycle', 'file-lines', 'function-lines'];

describe('architecture of shared/ (issue 8)', () => {
  it('reads the source it checks', () => {
    expect(modules.filter(inApp).length).toBeGreaterThan(20);
    expect(modules.some((m) => m.file === 'shared/aws/idempotency-repo.ts' && m.expressions.length > 0)).toBe(true);
    expect(modules.find((m) => m.file === 'shared/http/api.ts')?.imports).toContain('shared/http/middlewares.ts');
    expect(modules.find((m) => m.file === 'shared/files/xlsx/read.ts')?.imports).toContain('shared/files/xlsx/zip.ts');
  });

  for (const rule of RULES) {
    it(`breaks "${rule}" nowhere outside the migration list`, () => {
      const outside = [...found].filter(([file, rules]) => rules.has(rule) && !STILL_MIGRATING[file]?.includes(rule));
      expect(Object.fromEntries(outside.map(([file, rules]) => [file, rules.get(rule)]))).toEqual({});
    });
  }

  it('lists only files that still break the rule they are listed for (the list only shrinks)', () => {
    const stale = Object.entries(STILL_MIGRATING).flatMap(([file, rules]) => rules.filter((r) => !found.get(file)?.has(r)).map((r) => `${file}: ${r}`));
    expect(stale).toEqual([]);
  });
});

describe('the AWS SDK in runtime code (issue 12 item 6)', () => {
  /** shared/ and functions/ ship in the Lambda bundles, which get the SDK from our SDK layer. */
  const runtime = [...listTs('shared'), ...listTs('functions')].map(readModule);

  it('is imported only through the facade @jixiao/aws-sdk: the facade alone names @aws-sdk/* or @smithy/*', () => {
    expect(runtime.length).toBeGreaterThan(50);
    const direct = runtime.flatMap((m) => m.specifiers.filter((s) => /^@(aws-sdk|smithy)\//.test(s)).map((s) => `${m.file}: ${s}`));
    expect(direct.filter((d) => !d.startsWith('shared/aws/sdk.ts: '))).toEqual([]);
    expect(direct.length).toBeGreaterThanOrEqual(5);
    expect(runtime.filter((m) => m.specifiers.includes('@jixiao/aws-sdk')).length).toBeGreaterThan(10);
  });
});

describe('the checks themselves', () => {
  it('find a long function, an expression, an SDK import and a circle', async () => {
    const { mkdtempSync, writeFileSync, mkdirSync, rmSync } = await import('node:fs');
    const { join, relative } = await import('node:path');
    const { ROOT, importCycles: cycles, readModule: read } = await import('../support/source-graph');
    const dir = mkdtempSync(join(ROOT, 'test/.arch-'));
    try {
      mkdirSync(join(dir, 'a'));
      const body = Array.from({ length: 61 }, (_, i) => `  const x${i} = ${i};`).join('\n');
      writeFileSync(
        join(dir, 'a/one.ts'),
        `import type { B } from './two';\nimport { PutCommand } from '@aws-sdk/lib-dynamodb';\nexport const q = { KeyConditionExpression: 'PK = :pk' };\nexport function long() {\n${body}\n}\n`,
      );
      writeFileSync(join(dir, 'a/two.ts'), `import { q } from './one';\nexport type B = typeof q;\n`);
      const rel = (f: string) => relative(ROOT, join(dir, f));
      const one = read(rel('a/one.ts'));
      const two = read(rel('a/two.ts'));
      expect(one.functions.find((f) => f.name === 'long')?.lines).toBe(63);
      expect(one.expressions).toEqual(['KeyConditionExpression (line 3)', "'PK = :pk' (line 3)"]);
      expect(one.specifiers).toContain('@aws-sdk/lib-dynamodb');
      expect(cycles([one, two])).toEqual([[rel('a/one.ts'), rel('a/two.ts')].sort()]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
