/** The jobs API: the performance office runs any job for any of its as-of dates. */
import type { Invoker } from '../../aws/invoker';
import { sleep } from '../../aws/db';
import type { Principal } from '../../domain/access';
import { NotFoundError } from '../../domain/errors';
import type { AppDeps } from '../context';
import { type ShardQueue, startFannedRun } from './fanout';
import { checkAsOf, getRun, type JobRun, requireJob } from './runner';
import { runView } from './runs';

/** How long the API waits for a run before answering 202 (API Gateway gives up at 30 s). */
const WAIT_MS = 20_000;

/**
 * Starts a run. A job that declares `fanOut`, with a shard queue (fan-out on), is fanned out
 * here: the answer is the run record at once (202 `running`, `shardsTotal`), or the run it
 * deferred to. Any other run is the runner's, waited for up to `waitMs`.
 */
export async function startRun(deps: AppDeps, invoker: Invoker, actor: Principal, job: string, asOf: string, waitMs = WAIT_MS, queue?: ShardQueue) {
  const def = requireJob(job);
  await checkAsOf(deps, def, asOf);
  const runId = deps.ids.next();
  if (def.fanOut && queue) {
    const started = await startFannedRun(deps, queue, { job: def.name, asOf, runId, actor });
    const run = (started.deferredTo && (await getRun(deps, started.deferredTo))) || started;
    return { status: run.status === 'running' ? 202 : 200, body: runView(run) };
  }
  await invoker.invokeAsync('runner', { job: def.name, asOf, runId, requestedBy: actor.sub });
  const run = await waitForRun(deps, runId, waitMs);
  if (!run) return { status: 202, body: { runId, job: def.name, asOf, status: 'running', summary: null } };
  return { status: run.status === 'running' ? 202 : 200, body: runView(run) };
}

/** Polls a run; a run that deferred to a concurrent one is answered with that one. */
async function waitForRun(deps: AppDeps, runId: string, waitMs: number): Promise<JobRun | undefined> {
  const deadline = Date.now() + waitMs;
  let id = runId;
  let last: JobRun | undefined;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    last = await getRun(deps, id);
    if (last?.status === 'deferred' && last.deferredTo) {
      id = last.deferredTo;
      continue;
    }
    if (last && last.status !== 'running') return last;
    if (Date.now() + delay > deadline) return last;
    await sleep(delay);
  }
}

export async function readRun(deps: AppDeps, runId: string) {
  const run = await getRun(deps, runId);
  if (!run) throw new NotFoundError(`No job run ${runId}`);
  return runView(run);
}
