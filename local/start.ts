/**
 * `npm start`: the whole system on a laptop. The HTTP adapter in front of the real handlers
 * listens at once (/health answers in a second or two) while DynamoDB Local and the SES v2
 * emulator start; requests that need them wait until they are up. Then the demo seed (in the
 * background: the API answers while it loads), the local scheduler and the shard queue of fanned-out
 * runs (sqs-emulator.ts, LOCAL_FANOUT=off to do without). Ctrl-C or SIGTERM stops
 * everything it started, the DynamoDB Local JVM by its pid.
 *
 * Handler modules read the environment at module scope, so the AWS environment is set before
 * any of them is imported: everything beyond services.ts is imported dynamically below.
 */
import { createServer } from 'node:net';
import { relative, resolve } from 'node:path';
import { type DynamoLocal, ensureTable, localAwsEnv, type SesLocal, startDynamoLocal, startSesLocal } from './services';

const env = process.env;

function intEnv(name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) fail(`${name}=${raw} is not a port number`);
  return n;
}

function fail(message: string): never {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

const config = {
  port: intEnv('PORT', 3000),
  ddbPort: intEnv('DDB_PORT', 8000),
  mailPort: intEnv('MAIL_PORT', 8005),
  dataDir: env.DATA_DIR && env.DATA_DIR !== '' ? env.DATA_DIR : '.local',
  seed: env.SEED && env.SEED !== '' ? env.SEED : 'demo',
  scheduler: (env.LOCAL_SCHEDULER ?? 'on').toLowerCase() !== 'off',
  stream: (env.LOCAL_STREAM ?? 'on').toLowerCase() !== 'off',
  fanout: (env.LOCAL_FANOUT ?? 'on').toLowerCase() !== 'off',
  quiet: env.QUIET === '1' || env.QUIET === 'true',
  table: 'jixiao-local',
};
const inMemory = config.dataDir === 'memory';
const dataDir = inMemory ? undefined : resolve(config.dataDir);
if (!['demo', 'none'].includes(config.seed)) fail(`SEED=${config.seed}: use demo or none`);

const log = (line: string) => console.log(line);

let dynamo: DynamoLocal | undefined;
/** Set while the JVM starts: a Ctrl-C then waits for its handle to stop it. */
let dynamoStarting: Promise<DynamoLocal> | undefined;
let ses: SesLocal | undefined;
let stopAdapter: (() => Promise<void>) | undefined;
let stopScheduler: (() => void) | undefined;
let stopStream: (() => Promise<void>) | undefined;
let stopShards: (() => Promise<void>) | undefined;
let shuttingDown = false;

/** Stops what was started, newest first; a second Ctrl-C kills the JVM outright. */
async function shutdown(reason: string, code: number): Promise<never> {
  if (shuttingDown) {
    dynamo?.process.kill('SIGKILL');
    process.exit(code || 130);
  }
  shuttingDown = true;
  log(`\n${reason}: stopping...`);
  stopScheduler?.();
  await stopStream?.().catch(() => undefined);
  await stopShards?.().catch(() => undefined);
  if (!dynamo && dynamoStarting) dynamo = await dynamoStarting.catch(() => undefined);
  await stopAdapter?.().catch(() => undefined);
  await ses?.stop().catch(() => undefined);
  const pid = dynamo?.process.pid;
  await dynamo?.stop().catch(() => undefined);
  if (pid) log(`DynamoDB Local (java pid ${pid}) stopped`);
  process.exit(code);
}

process.on('SIGINT', () => void shutdown('SIGINT', 0));
process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
// Whatever ends this process, the JVM does not outlive it.
process.on('exit', () => {
  if (dynamo && dynamo.process.exitCode === null && dynamo.process.signalCode === null) dynamo.process.kill('SIGKILL');
});

async function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(port, () => probe.close(() => done(true)));
  });
}

async function main(): Promise<void> {
  for (const [name, port] of [
    ['PORT', config.port],
    ['DDB_PORT', config.ddbPort],
    ['MAIL_PORT', config.mailPort],
  ] as const) {
    if (!(await portFree(port))) fail(`port ${port} is in use; stop what holds it or set ${name}=<another port>`);
  }

  // The endpoints follow from the ports, so the environment is complete before anything reads
  // it, and the API can listen while the JVM is still starting.
  const ddbEndpoint = `http://127.0.0.1:${config.ddbPort}`;
  const sesEndpoint = `http://127.0.0.1:${config.mailPort}`;
  const apiUrl = `http://localhost:${config.port}`;
  Object.assign(env, localAwsEnv(ddbEndpoint, sesEndpoint, config.table), {
    AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${config.port}`,
    RUNNER_FUNCTION_NAME: 'runner',
    OUTBOX_FUNCTION_NAME: 'outbox',
    APP_URL: apiUrl,
  });
  if (config.fanout) {
    // The jobs API and the runner fan out through the real SQS client, to the adapter's SQS emulator.
    const { localQueueUrl } = await import('./sqs-emulator');
    Object.assign(env, { AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${config.port}`, SHARD_QUEUE_URL: localQueueUrl(`http://127.0.0.1:${config.port}`) });
  }

  const servicesStarted = Date.now();
  const services = (async () => {
    // allSettled: a JVM still starting when the emulator fails is waited for, then stopped.
    const started = await Promise.allSettled([
      (dynamoStarting = startDynamoLocal(config.ddbPort, dataDir && resolve(dataDir, 'dynamodb'))).then((d) => (dynamo = d)),
      startSesLocal(config.mailPort).then((s) => (ses = s)),
    ]);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    await ensureTable(ddbEndpoint, config.table);
  })();
  // The adapter holds requests on this; a failure ends the process below.
  const ready = services.catch(() => new Promise<never>(() => undefined));

  const [{ startAdapter }, { createLocalIssuer }, { startScheduler }, { startStreamReader }, seeding, { documentClient }, webConsole] = await Promise.all([
    import('./adapter'),
    import('./tokens'),
    import('./scheduler'),
    import('./stream-reader'),
    import('./seed/index'),
    import('../shared/aws/clients'),
    import('./console'),
  ]);
  // While DynamoDB Local starts: a stale console is rebuilt (about 10 s), a fresh one is served as is.
  const consoleBuilt = webConsole.ensureConsoleBuilt(log);
  const consoleFiles = webConsole.consoleFiles();
  let consoleState = 'building (see below)';
  void consoleBuilt.then((ok) => (consoleState = ok ? 'sign in with a role; public portal at /public' : 'not built (see above)'));

  const seedStatus: Record<string, unknown> = { seed: config.seed, state: config.seed === 'none' ? 'off' : 'pending' };
  let servicesState = 'starting';
  let scheduler: ReturnType<typeof startScheduler> | undefined;
  let stream: ReturnType<typeof startStreamReader> | undefined;
  const issuer = await createLocalIssuer({
    issuer: `${apiUrl}/local`,
    keyFile: dataDir && resolve(dataDir, 'jwt-signing-key.json'),
  });
  let sqs: import('./sqs-emulator').SqsEmulator | undefined;
  if (config.fanout) {
    const { createSqsEmulator, startLocalShardQueue, SHARD_QUEUE_NAME } = await import('./sqs-emulator');
    const shardQueue = await startLocalShardQueue({ log });
    stopShards = () => shardQueue.close();
    sqs = createSqsEmulator({ [SHARD_QUEUE_NAME]: shardQueue });
  }
  const adapter = await startAdapter({
    port: config.port,
    sqs,
    issuer,
    sesEndpoint,
    ready,
    quiet: config.quiet,
    log,
    console: async (path: string) => ((await consoleBuilt) ? consoleFiles(path) : undefined),
    status: () => ({
      pid: process.pid,
      services: servicesState,
      seed: seedStatus,
      scheduler: scheduler ? scheduler.next() : 'off',
      stream: stream ? stream.stats() : 'off',
      dataDir: dataDir ?? 'memory',
      table: config.table,
      dynamodb: { endpoint: ddbEndpoint, pid: dynamo?.process.pid ?? null },
    }),
  });
  stopAdapter = () => adapter.close();
  log(`API listening on ${apiUrl} after ${process.uptime().toFixed(1)} s (GET /health); starting DynamoDB Local and the SES emulator...`);

  await services;
  servicesState = 'ready';
  const servicesSeconds = (Date.now() - servicesStarted) / 1000;
  const d = dynamo as DynamoLocal;
  const where = dataDir ? `data in ${relative(process.cwd(), resolve(dataDir, 'dynamodb')) || '.'}` : 'in memory';
  const tokenCurl = `curl -s -X POST ${apiUrl}/local/token -H 'content-type: application/json' -d '{"sub":"me","roles":["performance"]}'`;
  log(
    [
      '',
      `Jixiao local stack ready in ${process.uptime().toFixed(1)} s (DynamoDB Local and SES emulator took ${servicesSeconds.toFixed(1)} s)`,
      `  Console         ${apiUrl}/             ${consoleState}`,
      `  API             ${apiUrl}              GET /health`,
      `  Mail inbox      http://localhost:${config.mailPort}              JSON: ${apiUrl}/local/emails`,
      `  JWKS            ${apiUrl}/local/.well-known/jwks.json   (issuer ${issuer.issuer}, audience ${issuer.audience})`,
      `  DynamoDB Local  ${ddbEndpoint}  table ${config.table}, ${where} (java pid ${d.process.pid})`,
      `  Lambda Invoke   ${env.AWS_ENDPOINT_URL_LAMBDA}/2015-03-31/functions/{runner|outbox}/invocations`,
      config.fanout
        ? `  Shard queue     ${env.SHARD_QUEUE_URL}  (SQS SendMessageBatch; 4 shard workers; LOCAL_FANOUT=off for one-invocation runs)`
        : '  Shard queue     off (LOCAL_FANOUT=off): every job run is one invocation',
      '',
      '  Try:',
      `    TOKEN=$(${tokenCurl} | jq -r .token)`,
      `    curl -s "${apiUrl}/v1/projects?year=2020&limit=5" -H "authorization: Bearer $TOKEN"`,
      '',
    ].join('\n'),
  );

  // What every sign-in asks first — the console's home page (GET /v1/inbox) and the department's
  // name in its header — is loaded now, not on the first user's click (on a busy machine the
  // inbox's modules took 1.2 s to load). The other handlers still load on their first request.
  void (async () => {
    const [{ HTTP_FUNCTIONS }, { loadHandler }] = await Promise.all([import('../infra/catalog'), import('./invoke')]);
    await Promise.all([HTTP_FUNCTIONS.inbox.entry, HTTP_FUNCTIONS.departments.entry].map((entry) => loadHandler(entry)));
  })().catch((error: unknown) => log(`preloading the home page's handlers failed (they load on first use): ${String(error)}`));

  if (config.stream) {
    // The outbox function's own handler, as the event source mapping invokes it in AWS.
    const [{ JOB_FUNCTIONS }, { loadHandler }] = await Promise.all([import('../infra/catalog'), import('./invoke')]);
    const handler = await loadHandler(JOB_FUNCTIONS.outbox.entry);
    stream = startStreamReader({
      endpoint: ddbEndpoint,
      table: config.table,
      handler,
      checkpointFile: dataDir && resolve(dataDir, 'stream-checkpoint.json'),
      log,
    });
    stopStream = () => stream?.stop() ?? Promise.resolve();
    log('stream reader on: new emails go out from the table stream within a second or two (LOCAL_STREAM=off to stop it)');
  } else {
    log('stream reader off (LOCAL_STREAM=off): emails wait for the outbox-dispatch schedule');
  }

  if (config.scheduler) {
    scheduler = startScheduler({ log });
    stopScheduler = () => scheduler?.stop();
    log(
      `scheduler on (Asia/Shanghai): ${scheduler
        .next()
        .map((n) => `${n.name} ${n.at}`)
        .join(', ')}`,
    );
  } else {
    log('scheduler off (LOCAL_SCHEDULER=off): run jobs with POST /v1/jobs/{job}/runs or npm run replay');
  }

  if (config.seed !== 'none') {
    seedStatus.state = 'running';
    seedStatus.startedAt = new Date().toISOString();
    log(`seeding ${config.seed} in the background (the API is already answering)...`);
    const db = { doc: documentClient(), table: config.table };
    seeding
      .runSeed(config.seed, db, { log: config.quiet ? undefined : log })
      .then((result) => {
        if (result.skipped) {
          Object.assign(seedStatus, { state: 'skipped', seededAt: result.seededAt });
          log(`seed ${config.seed}: already seeded at ${result.seededAt}; keeping the data in ${config.dataDir} (remove it to start over)`);
          return;
        }
        Object.assign(seedStatus, { state: 'done', seconds: result.seconds, items: result.items, summaries: result.summaries });
        const lines = Object.entries(result.summaries).map(([name, summary]) => {
          const counts = Object.entries(summary)
            .filter(([, v]) => typeof v === 'number')
            .map(([k, v]) => `${v} ${k}`);
          return `  ${name.padEnd(16)} ${(result.generatorSeconds[name] ?? 0).toFixed(1).padStart(5)} s  ${counts.join(', ')}`;
        });
        log([`seeded ${config.seed}: ${result.items} items in ${result.seconds.toFixed(1)} s`, ...lines].join('\n'));
      })
      .catch((error: unknown) => {
        if (shuttingDown) return;
        Object.assign(seedStatus, { state: 'failed', error: (error as Error)?.message ?? String(error) });
        log(`seed ${config.seed} failed: ${(error as Error)?.stack ?? String(error)}`);
      });
  }
}

main().catch(async (error: unknown) => {
  console.error(`npm start failed: ${(error as Error)?.stack ?? String(error)}`);
  await shutdown('startup failed', 1);
});
