process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
import { ensureTable, freePort, startDynamoLocal, localAwsEnv } from '/work/wt-front/local/services';
const local = await startDynamoLocal(await freePort());
const table = `fullseed-${Date.now().toString(36)}`;
Object.assign(process.env, localAwsEnv(local.endpoint, 'http://127.0.0.1:1', table));
try {
  await ensureTable(local.endpoint, table);
  const { documentClient } = await import('/work/wt-front/shared/aws/clients');
  const { runSeed } = await import('/work/wt-front/local/seed/index');
  const db = { doc: documentClient(), table };
  const t0 = Date.now();
  const r = await runSeed('demo', db, { force: true, log: (l) => console.log(l) });
  console.log('seconds', (Date.now() - t0) / 1000);
  console.log(JSON.stringify(r.summaries.front));
} finally {
  await local.stop();
}
