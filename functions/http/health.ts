import { httpFunction, ok, route } from '../../shared/http/api';
import * as R from '../../shared/http/responses';

export const handler = httpFunction({
  'GET /health': route({ response: R.health, access: 'public', handle: async () => ok({ status: 'ok', service: 'jixiao' }) }),
});
