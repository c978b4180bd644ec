/** The jobs API: the performance office runs any job for any of its as-of dates. */
import type { Invoker } from '../../aws/invoker';
import { sleep } from '../../aws/db';
import type { Principal } from '../../domain/access';
import { NotFoundError } from '../../domain/errors';
import type { AppDeps } from '../context';
import { checkAsOf, getRun, type JobRun, requireJob } from './runner';

/** How long the API waits for a run before answering 202 (API Gateway gives up at 30 s). */
const WAIT_MS = 20_000;

export async function startRun(deps: AppDeps, invoker: Invoker, actor: Principal, job: string, asOf: string, waitMs = WAIT_MS) {
  const def = requireJob(job);
  await checkAsOf(deps, def, asOf);
  const runId = deps.ids.next();
  await invoker.invokeAsync('runner', { job: def.name, asOf, runId, requestedBy: actor.sub });
  const run = await waitForRun(deps, runId, waitMs);
  if (!run) return { status: 202, body: { runId, job: def.name, asOf, status: 'running', summary: null } };
  return { status: run.status === 'running' ? 202 : 200, body: view(run) };
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
  return view(run);
}

function view(run: JobRun) {
  const { requestedBy, startedAt, finishedAt, error, deferredTo, ...core } = run;
  return { ...core, requestedBy, startedAt, ...(finishedAt ? { finishedAt } : {}), ...(error ? { error } : {}), ...(deferredTo ? { deferredTo } : {}) };
}
