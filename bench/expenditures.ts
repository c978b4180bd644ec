/**
 * p50/p99 of POST /v1/projects/{id}/expenditures through the local adapter (HTTP, JWT check,
 * API Gateway v2 event, the real handler, DynamoDB Local) under 16 concurrent clients, beside
 * p50/p99 of the raw TransactWriteItems it boils down to (the same two items: the expenditure
 * put and the guarded project update), from the same machine in the same run.
 *
 *   npx tsx bench/expenditures.ts [requests=2000] [clients=16]
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable, freePort, localAwsEnv, startDynamoLocal, startSesLocal } from '../local/services';

const REQUESTS = Number(process.argv[2] ?? 2000);
const CLIENTS = Number(process.argv[3] ?? 16);
const PROJECTS = 64;
const TABLE = 'jixiao-bench-expenditures';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function timed(count: number, clients: number, op: (i: number) => Promise<void>): Promise<{ ms: number[]; wallMs: number }> {
  const ms: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t = performance.now();
        await op(i);
        ms.push(performance.now() - t);
      }
    }),
  );
  return { ms: ms.sort((a, b) => a - b), wallMs: performance.now() - started };
}

async function main() {
  const [ddbPort, sesPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const [dynamo, ses] = await Promise.all([startDynamoLocal(ddbPort), startSesLocal(sesPort)]);
  Object.assign(process.env, localAwsEnv(dynamo.endpoint, ses.endpoint, TABLE), { POWERTOOLS_LOG_LEVEL: 'ERROR' });
  await ensureTable(dynamo.endpoint, TABLE);
  const { startAdapter } = await import('../local/adapter');
  const { createLocalIssuer } = await import('../local/tokens');
  const issuer = await createLocalIssuer({ issuer: `http://localhost:${apiPort}/local` });
  const adapter = await startAdapter({ port: apiPort, issuer, quiet: true, sesEndpoint: ses.endpoint });
  try {
    const perf = (await issuer.sign({ sub: 'bench', roles: ['performance'] })).token;
    const officer = (await issuer.sign({ sub: 'bench-officer', roles: ['department'], deptId: 'DB1' })).token;
    const api = async (token: string, method: string, path: string, body: unknown) => {
      const res = await fetch(`${adapter.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${text}`);
      return text;
    };
    await api(perf, 'PUT', '/v1/departments/DB1', { name: '基准测试局', contactEmails: ['bench@xm.gov.cn'] });
    for (let i = 0; i < PROJECTS; i++) {
      await api(perf, 'POST', '/v1/projects', {
        projectId: `BP${i}`,
        year: 2020,
        deptId: 'DB1',
        level: 1,
        name: `基准项目${i}`,
        category: 'other',
        domain: '其他',
        fundSource: 'general',
        budgetFen: 10_000_000_000,
      });
    }

    // Warm up the handler modules and the connection pool.
    await timed(64, CLIENTS, (i) =>
      api(officer, 'POST', `/v1/projects/BP${i % PROJECTS}/expenditures`, { expenditureId: `W${i}`, date: '2020-03-01', amountFen: 1, kind: 'payment' }).then(
        () => undefined,
      ),
    );

    const http = await timed(REQUESTS, CLIENTS, (i) =>
      api(officer, 'POST', `/v1/projects/BP${i % PROJECTS}/expenditures`, {
        expenditureId: `E${i}`,
        date: `2020-0${1 + (i % 9)}-15`,
        amountFen: 100 + (i % 50),
        kind: 'payment',
      }).then(() => undefined),
    );

    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamo.endpoint }), { marshallOptions: { removeUndefinedValues: true } });
    // The raw floor: the same two-item transaction, on fresh keys so nothing conflicts.
    const raw = await timed(REQUESTS, CLIENTS, async (i) => {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: TABLE,
                Item: { PK: `RAW#${i % PROJECTS}`, SK: `EXP#${i}`, amountFen: 100, date: '2020-03-15' },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Update: {
                TableName: TABLE,
                Key: { PK: `RAWP#${i}`, SK: 'PROJ' },
                UpdateExpression: 'SET spentFen = if_not_exists(spentFen, :zero) + :a',
                ExpressionAttributeValues: { ':a': 100, ':zero': 0 },
              },
            },
          ],
        }),
      );
    });

    const row = (name: string, r: { ms: number[]; wallMs: number }) =>
      `${name.padEnd(44)} p50 ${percentile(r.ms, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(r.ms, 99).toFixed(1).padStart(6)} ms   ${((r.ms.length / r.wallMs) * 1000).toFixed(0).padStart(5)} req/s`;
    console.log(`${REQUESTS} requests, ${CLIENTS} concurrent clients, ${PROJECTS} projects`);
    console.log(row('POST .../expenditures via the local adapter', http));
    console.log(row('raw TransactWriteItems (2 items)', raw));
    console.log(
      `ratio p50 ${(percentile(http.ms, 50) / percentile(raw.ms, 50)).toFixed(2)}×, p99 ${(percentile(http.ms, 99) / percentile(raw.ms, 99)).toFixed(2)}×`,
    );
    doc.destroy();
  } finally {
    await adapter.close();
    await Promise.all([dynamo.stop(), ses.stop()]);
  }
}

await main();
