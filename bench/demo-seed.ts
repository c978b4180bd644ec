/**
 * The whole demo seed (local/seed, SEED=demo) on a fresh in-memory DynamoDB Local, as `npm
 * start` runs it: seconds and DynamoDB requests by command, per generator, then a digest of the
 * seeded table to compare one version of the seed with another.
 *
 *   npm run bench -- demo-seed                 # times, requests, digest
 *   npm run bench -- demo-seed --out f.json    # and the figures (with the digest) written to f.json
 *   npm run bench -- demo-seed --dump rows.txt # and the normalized items, one a line, to diff two versions
 *
 * The digest is over every item, canonical JSON, sorted. What a run cannot reproduce is
 * replaced first: ULIDs (the use cases' ids, random by design) by `<ulid>`, today's instants
 * (a clock the seed does not fix) by `<now>`, the seconds a job run took, and the seed
 * marker's own time and count. Items
 * that differ only there digest alike; everything else (keys, figures, statuses, versions,
 * fixed instants) must be equal.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable, freePort, LOCAL_CREDENTIALS, localAwsEnv, startDynamoLocal } from '../local/services';
import { canonicalJson } from '../shared/domain/hash';
import { countingDocumentClient, option } from './support';

const TABLE = 'jixiao-bench-seed';
const ULID = /\b[0-9A-HJKMNP-TV-Z]{26}\b/g;

/** The item with what no two runs share taken out (see the header). */
export function normalized(item: Record<string, unknown>, today: string): string {
  const copy = { ...item };
  if (copy.PK === 'LOCAL#SEED') {
    delete copy.seededAt;
    delete copy.items;
  }
  return (
    canonicalJson(copy)
      .replace(ULID, '<ulid>')
      // How long a job run took (its summary, and the front's summary of the clean-up scan in the marker).
      .replace(/"seconds":[0-9.]+/g, '"seconds":0')
      .replace(new RegExp(`${today}T[0-9:.]+Z`, 'g'), '<now>')
  );
}

async function digestOf(endpoint: string, dump?: string): Promise<{ items: number; digest: string; byEntity: Record<string, number> }> {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'local', credentials: LOCAL_CREDENTIALS }));
  const today = new Date().toISOString().slice(0, 10);
  const rows: string[] = [];
  const byEntity: Record<string, number> = {};
  const t = Date.now();
  // A Scan is right here: the bench reads back the whole table it alone wrote, in four segments.
  await Promise.all(
    [0, 1, 2, 3].map(async (Segment) => {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const out = await doc.send(new ScanCommand({ TableName: TABLE, Segment, TotalSegments: 4, ExclusiveStartKey }));
        for (const item of out.Items ?? []) {
          rows.push(normalized(item, today));
          const entity = String(item.entity ?? '?');
          byEntity[entity] = (byEntity[entity] ?? 0) + 1;
        }
        ExclusiveStartKey = out.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }),
  );
  doc.destroy();
  console.log(`scanned ${rows.length} items in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  rows.sort();
  if (dump) writeFileSync(dump, `${rows.join('\n')}\n`);
  return { items: rows.length, digest: createHash('sha256').update(rows.join('\n')).digest('hex'), byEntity };
}

/** CPU seconds (user + system) the JVM has used so far, from /proc (Linux; 0 elsewhere). */
function jvmCpu(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const out = option('out');
  const port = await freePort();
  const load = loadavg()[0]?.toFixed(2);
  const dynamo = await startDynamoLocal(port);
  try {
    await ensureTable(dynamo.endpoint, TABLE);
    // The use cases' modules read the environment: set before the seed is imported.
    Object.assign(process.env, localAwsEnv(dynamo.endpoint, 'http://127.0.0.1:1', TABLE));
    const { runSeed, SEEDS } = await import('../local/seed/index');
    const { doc, requests } = countingDocumentClient(dynamo.endpoint);
    const perGenerator: Record<string, { seconds: number; cpu: { node: number; dynamodb: number }; requests: Record<string, number> }> = {};
    const generators = (SEEDS.demo ?? []).map((g) => ({
      name: g.name,
      async run(ctx: Parameters<typeof g.run>[0]) {
        for (const k of Object.keys(requests)) delete requests[k];
        const [t, jvm, node] = [Date.now(), jvmCpu(dynamo.process.pid), process.cpuUsage()];
        const summary = await g.run(ctx);
        const used = process.cpuUsage(node);
        const cpu = { node: (used.user + used.system) / 1e6, dynamodb: jvmCpu(dynamo.process.pid) - jvm };
        perGenerator[g.name] = { seconds: (Date.now() - t) / 1000, cpu, requests: { ...requests } };
        return summary;
      },
    }));
    const [jvm0, node0] = [jvmCpu(dynamo.process.pid), process.cpuUsage()];
    const result = await runSeed('demo', { doc, table: TABLE }, { generators, force: true });
    const node = process.cpuUsage(node0);
    const cpu = { node: (node.user + node.system) / 1e6, dynamodb: jvmCpu(dynamo.process.pid) - jvm0 };
    console.log(
      `demo seed: ${result.seconds.toFixed(1)} s, ${result.items} items through ctx.write (load ${load} before, ${loadavg()[0]?.toFixed(2)} after); ` +
        `CPU ${cpu.node.toFixed(1)} s node + ${cpu.dynamodb.toFixed(1)} s DynamoDB Local`,
    );
    const total: Record<string, number> = {};
    for (const [name, g] of Object.entries(perGenerator)) {
      for (const [c, n] of Object.entries(g.requests)) total[c] = (total[c] ?? 0) + n;
      const list = Object.entries(g.requests)
        .sort((a, b) => b[1] - a[1])
        .map(([c, n]) => `${c.replace(/Command$/, '')} ${n}`)
        .join(', ');
      const cpu = `CPU ${g.cpu.node.toFixed(1)} + ${g.cpu.dynamodb.toFixed(1)} s`;
      console.log(`  ${name.padEnd(14)} ${g.seconds.toFixed(1).padStart(6)} s  ${cpu.padEnd(18)} ${list}`);
    }
    console.log(
      `  requests: ${Object.entries(total)
        .sort((a, b) => b[1] - a[1])
        .map(([c, n]) => `${c.replace(/Command$/, '')} ${n}`)
        .join(', ')}`,
    );
    const digest = await digestOf(dynamo.endpoint, option('dump'));
    console.log(`table: ${digest.items} items, digest ${digest.digest}`);
    if (out) writeFileSync(out, `${JSON.stringify({ seconds: result.seconds, load, cpu, perGenerator, total, ...digest }, null, 2)}\n`);
  } finally {
    await dynamo.stop();
  }
}

await main();
