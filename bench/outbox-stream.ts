/**
 * Time from an HTTP action to its email in the local inbox, through the table stream (issue 14).
 *
 *   npx tsx bench/outbox-stream.ts [samples=8] [--port 3170 --ddb-port 8170 --mail-port 8175]
 *
 * Starts `npx tsx local/start.ts` (DATA_DIR=memory SEED=none LOCAL_SCHEDULER=off: no
 * dispatcher runs), makes a department and projects over HTTP, runs progress-reclaim, then per
 * sample appeals one deduction and times its decision (POST .../decision) until the decision
 * email shows in GET /local/emails. Prints each sample, the median and the maximum, the load
 * average and this process's CPU time, and stops the stack by its pid (SIGINT).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const samples = Number(args.find((a) => /^\d+$/.test(a)) ?? 8);
const ports = { PORT: flag('--port', 3170), DDB_PORT: flag('--ddb-port', 8170), MAIL_PORT: flag('--mail-port', 8175) };
const api = `http://127.0.0.1:${ports.PORT}`;
const ms = () => Number(process.hrtime.bigint() / 1_000_000n);
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function req(method: string, path: string, token?: string, body?: unknown): Promise<any> {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}
const token = async (claims: object) => (await req('POST', '/local/token', undefined, claims)).token as string;
const decisionEmails = async () =>
  ((await req('GET', '/local/emails')).items as { subject: string }[]).filter((m) => m.subject.includes('扣减申诉处理结果')).length;

function startStack(): Promise<ChildProcess> {
  const child = spawn('npx', ['tsx', resolve(import.meta.dirname, '../local/start.ts')], {
    env: {
      ...process.env,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      DATA_DIR: 'memory',
      SEED: 'none',
      LOCAL_SCHEDULER: 'off',
      QUIET: '1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  return new Promise((done, fail) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('stream reader on')) done(child);
    });
    child.once('exit', (code) => fail(new Error(`local/start.ts exited (${code}): ${out}`)));
  });
}

async function main(): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = ms();
  // DynamoDB Local's JVM may miss npm start's 30 s deadline on a busy machine: try again.
  let stack: ChildProcess | undefined;
  for (let attempt = 1; !stack; attempt++) {
    stack = await startStack().catch((error: Error) => {
      if (attempt >= 3) throw error;
      console.error(`start ${attempt} failed (${error.message.split('\n')[0]}); trying again`);
      return undefined;
    });
  }
  const load: number[] = [loadavg()[0] as number];
  try {
    console.log(`stack up in ${((ms() - t0) / 1000).toFixed(1)} s; setting up ${samples} deductions...`);
    const perf = await token({ sub: 'bench-perf', roles: ['performance'] });
    const own = await token({ sub: 'bench-dept', roles: ['department'], deptId: 'B01' });
    await req('PUT', '/v1/departments/B01', perf, { name: '基准测试局', contactEmails: ['b01@bench.test'], domain: '教育' });
    for (let i = 1; i <= samples; i++) {
      const projectId = `2020-B01-${String(i).padStart(2, '0')}`;
      await req('POST', '/v1/projects', perf, {
        projectId,
        year: 2020,
        deptId: 'B01',
        level: 1,
        name: `基准项目${i}`,
        category: 'operations',
        domain: '教育',
        fundSource: 'general',
        budgetFen: 10_000_000,
      });
      await req('POST', `/v1/projects/${projectId}/expenditures`, own, {
        expenditureId: `PAY-${i}`,
        date: '2020-05-01',
        amountFen: 2_000_000,
        kind: 'payment',
      });
    }
    const run = await req('POST', '/v1/jobs/progress-reclaim/runs', perf, { asOf: '2020-09-30' });
    console.log(`progress-reclaim: ${JSON.stringify(run.summary ?? run.status)}`);
    const times: number[] = [];
    for (let i = 1; i <= samples; i++) {
      const id = `PROGRESS_RECLAIM~project~2020-B01-${String(i).padStart(2, '0')}~2020-09-30`;
      await req('POST', `/v1/deductions/${id}/appeal`, own, { reason: '基准测试' });
      const before = await decisionEmails();
      const start = ms();
      await req('POST', `/v1/deductions/${id}/decision`, perf, { decision: i % 2 ? 'uphold' : 'reverse', comment: '基准测试' });
      while ((await decisionEmails()) === before) {
        if (ms() - start > 30_000) throw new Error(`sample ${i}: no email after 30 s`);
        await sleep(20);
      }
      times.push(ms() - start);
      load.push(loadavg()[0] as number);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const cpu = process.cpuUsage(cpu0);
    console.log(`HTTP decision → email in the inbox, ${samples} samples (ms): ${times.join(', ')}`);
    console.log(`median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms, min ${sorted[0]} ms`);
    console.log(
      `load average (1 min) ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}; bench process CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, wall ${((ms() - t0) / 1000).toFixed(1)} s`,
    );
  } finally {
    if (stack.pid) process.kill(-stack.pid, 'SIGINT');
    await new Promise((r) => stack.once('exit', r));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
