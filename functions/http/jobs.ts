import * as z from '../../shared/domain/zod';
import type { AppDeps } from '../../shared/app/context';
import { readRun, startRun } from '../../shared/app/jobs/api';
import { listRuns } from '../../shared/app/jobs/runs';
import type { ShardQueue } from '../../shared/app/jobs/fanout';
import { type Invoker, liveInvoker } from '../../shared/aws/invoker';
import { liveShardQueue } from '../../shared/aws/shard-queue';
import { liveDeps } from '../compose';
import { jobRepositories } from '../job-repositories';
import { dateSchema } from '../../shared/domain/project';
import { httpFunction, ok, route } from '../../shared/http/api';
import { json } from '../../shared/http/response';
import * as R from '../../shared/http/responses';

const jobParams = z.object({ job: z.string().check(z.regex(/^[a-z][a-z-]{0,40}$/, 'not a job name')) });

/** `queue`: the shard queue when fan-out is on (runs of jobs that declare `fanOut` fan out). */
export function makeHandler(deps: AppDeps, invoker: Invoker, queue?: ShardQueue) {
  return httpFunction({
    'POST /v1/jobs/{job}/runs': route({
      response: { 200: R.jobRun, 202: R.jobRun },
      access: ['performance'],
      params: jobParams,
      body: z.strictObject({ asOf: dateSchema }),
      handle: async (req) => {
        const out = await startRun(deps, invoker, req.principal, req.params.job, req.body.asOf, undefined, queue);
        return json(out.status, out.body);
      },
    }),
    'GET /v1/jobs/{job}/runs': route({
      response: R.page(R.jobRun),
      access: ['performance', 'finance'],
      params: jobParams,
      query: z.strictObject({
        limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 20),
        nextToken: z.optional(z.string().check(z.maxLength(2048))),
      }),
      handle: async (req) => ok(await listRuns(deps, req.params.job, req.query.limit, req.query.nextToken)),
    }),
    'GET /v1/jobs/runs/{runId}': route({
      response: R.jobRun,
      access: ['performance', 'finance'],
      params: z.object({ runId: z.string().check(z.minLength(1), z.maxLength(64)) }),
      handle: async (req) => ok(await readRun(deps, req.params.runId)),
    }),
  });
}

export const handler = makeHandler(liveDeps(jobRepositories), await liveInvoker(), liveShardQueue());
