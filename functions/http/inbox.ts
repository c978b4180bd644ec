/** GET /v1/inbox: what waits for the caller (SPEC §6), the console's home page. */
import * as z from '../../shared/domain/zod';
import { readInbox } from '../../shared/app/inbox/read';
import type { TargetDeps } from '../../shared/app/targets';
import { config } from '../../shared/aws/clients';
import { yearSchema } from '../../shared/domain/project';
import { httpFunction, ok, route } from '../../shared/http/api';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import * as R from '../../shared/http/responses';

export function makeHandler(deps: TargetDeps) {
  return httpFunction({
    'GET /v1/inbox': route({
      response: R.inbox,
      access: ['department', 'finance', 'performance', 'expert'],
      query: z.strictObject({ year: z.optional(z.pipe(z.coerce.number(), yearSchema)) }),
      handle: async (req) => ok(await readInbox(deps, req.principal, req.query)),
    }),
  });
}

const base = liveDeps({
  departments: repo.departments,
  exAnte: repo.exAnte,
  exemptions: repo.exemptions,
  idempotency: repo.idempotency,
  jobRuns: repo.jobRuns,
  ledger: repo.ledger,
  policies: repo.policies,
  projects: repo.projects,
  targets: repo.targets,
});
export const handler = makeHandler({ ...base, exAnte: base.repos.exAnte.assessments, appUrl: config().APP_URL });
