import * as z from '../../shared/domain/zod';
import { AUDITED_ENTITIES, type AuditedEntity, auditTrail } from '../../shared/app/audit';
import type { AppDeps } from '../../shared/app/context';
import { liveDeps } from '../compose';
import * as repo from '../../shared/aws/repositories';
import { httpFunction, ok, route } from '../../shared/http/api';
import * as R from '../../shared/http/responses';

export function makeHandler(deps: AppDeps) {
  return httpFunction({
    'GET /v1/audit/{entity}/{id}': route({
      response: R.page(R.auditRecord),
      access: ['finance', 'performance'],
      params: z.object({
        entity: z.enum(Object.keys(AUDITED_ENTITIES) as [AuditedEntity, ...AuditedEntity[]]),
        id: z.string().check(z.minLength(1), z.maxLength(200)),
      }),
      query: z.strictObject({
        limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(200)), 50),
        nextToken: z.optional(z.string().check(z.maxLength(2048))),
      }),
      handle: async (req) => ok(await auditTrail(deps, req.params.entity, req.params.id, req.query.limit, req.query.nextToken)),
    }),
  });
}

export const handler = makeHandler(liveDeps({ audit: repo.audit, idempotency: repo.idempotency }));
