/**
 * Exports of a big ledger (issue 12 item 4): N ledger rows [100,000] through the real ledger
 * export (listDeductions → the dataset's cells → the CSV or XLSX streaming writer), from an
 * in-memory ledger port that hands out pages of 500 as DynamoDB would. Prints wall and CPU
 * time, bytes, and peak RSS and heap for each format, streamed whole to a sink that keeps
 * nothing, and in API parts (what one response holds: PART_LIMITS), at N/10 and N rows, so
 * "flat" can be read off: the peak does not grow with N.
 *
 *   npm run bench -- exports [rows]
 *
 * Each case runs in a child process of its own, so one case's garbage is not the next one's peak.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import type { AppDeps } from '../shared/app/context';
import { sourceOf } from '../shared/app/exports/datasets';
import { type ExportFormat, PART_LIMITS, writeRows, writerFor } from '../shared/app/exports/export';
import type { StoredDeduction } from '../shared/domain/ledger';
import type { Principal } from '../shared/domain/access';

const PERF: Principal = { sub: 'bench', roles: ['performance'] };

function fakeLedger(total: number) {
  const row = (i: number): StoredDeduction =>
    ({
      deductionId: `PROGRESS_RECLAIM~project~2020-D${String(i % 87).padStart(3, '0')}-${i}~2020-09-30`,
      rule: 'PROGRESS_RECLAIM',
      year: 2020,
      deptId: `D${String(i % 87).padStart(3, '0')}`,
      target: { kind: 'project', projectId: `2020-D${String(i % 87).padStart(3, '0')}-${i}` },
      projectId: `2020-D${String(i % 87).padStart(3, '0')}-${i}`,
      asOf: '2020-09-30',
      amountFen: 1_000_000 + ((i * 7919) % 50_000_000),
      budgetBeforeFen: 100_000_000 + i,
      budgetAfterFen: 90_000_000 + i,
      figures: { thresholdBp: 8000, budgetFen: 100_000_000 + i, spentAsOfFen: 60_000_000 },
      status: i % 50 === 0 ? 'appealed' : 'applied',
      appealDeadline: '2020-10-11',
      createdAt: '2020-10-01T01:20:00.000Z',
      createdBy: 'system',
    }) as unknown as StoredDeduction;
  return {
    page: async (q: { limit: number; nextToken?: string }) => {
      await new Promise((r) => setImmediate(r)); // a read is I/O: let the writers' streams drain
      const from = q.nextToken ? Number(q.nextToken) : 0;
      const to = Math.min(total, from + q.limit);
      const items: StoredDeduction[] = [];
      for (let i = from; i < to; i++) items.push(row(i));
      sample();
      return { items, ...(to < total ? { nextToken: String(to) } : {}) };
    },
  };
}

let peakRss = 0;
let peakHeap = 0;
function sample(): void {
  const m = process.memoryUsage();
  if (m.rss > peakRss) peakRss = m.rss;
  if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
}

async function child(format: ExportFormat, mode: 'stream' | 'parts', rows: number): Promise<void> {
  const deps = { repos: { ledger: fakeLedger(rows) } } as unknown as AppDeps;
  const source = sourceOf(deps, PERF, 'ledger', { year: 2020 });
  const wall = performance.now();
  const cpu = process.cpuUsage();
  let bytes = 0;
  let parts = 0;
  let largestPart = 0;
  let token: string | undefined;
  do {
    let partBytes = 0;
    const kept: Buffer[] = [];
    const writer = await writerFor(format, source, 'ledger', (c) => {
      partBytes += c.byteLength;
      if (mode === 'parts') kept.push(c); // a part is kept whole, as the response body is
      sample();
    });
    const limits = PART_LIMITS[format];
    const out = await writeRows(source, writer, token, mode === 'parts' ? (w) => w.bytes >= limits.maxBytes || w.rows >= limits.maxRows : () => false);
    if (mode === 'parts') Buffer.concat(kept);
    sample();
    token = out.nextToken;
    bytes += partBytes;
    parts++;
    largestPart = Math.max(largestPart, partBytes);
  } while (token);
  const used = process.cpuUsage(cpu);
  console.log(
    JSON.stringify({
      format,
      mode,
      rows,
      wallS: +((performance.now() - wall) / 1000).toFixed(2),
      cpuS: +((used.user + used.system) / 1e6).toFixed(2),
      mb: +(bytes / 1e6).toFixed(2),
      parts,
      largestPartMb: +(largestPart / 1e6).toFixed(2),
      peakRssMb: Math.round(peakRss / 1e6),
      peakHeapMb: Math.round(peakHeap / 1e6),
    }),
  );
}

async function main(): Promise<void> {
  const [first, ...rest] = process.argv.slice(2);
  if (first === '--child') {
    const [format, mode, rows] = rest as [ExportFormat, 'stream' | 'parts', string];
    await child(format, mode, Number(rows));
    return;
  }
  const rows = Number(first ?? 100_000);
  console.log(
    `ledger export, ${rows.toLocaleString('en')} rows; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log('format  mode     rows      wall s  cpu s  MB      parts  largest part MB  peak RSS MB  peak heap MB');
  for (const format of ['csv', 'xlsx'] as const) {
    for (const mode of ['stream', 'parts'] as const) {
      for (const n of [Math.round(rows / 10), rows]) {
        const out = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, '--child', format, mode, String(n)], { encoding: 'utf8' });
        if (out.status !== 0) throw new Error(out.stderr);
        const r = JSON.parse(out.stdout.trim().split('\n').at(-1) as string);
        console.log(
          `${r.format.padEnd(7)} ${r.mode.padEnd(8)} ${String(r.rows).padEnd(9)} ${String(r.wallS).padEnd(7)} ${String(r.cpuS).padEnd(6)} ${String(r.mb).padEnd(7)} ${String(r.parts).padEnd(6)} ${String(r.largestPartMb).padEnd(16)} ${String(r.peakRssMb).padEnd(12)} ${r.peakHeapMb}`,
        );
      }
    }
  }
  console.log(
    `load average after ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

await main();
