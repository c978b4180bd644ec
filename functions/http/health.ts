import { httpFunction, ok, route } from '../../shared/http/api';

export const handler = httpFunction({
  'GET /health': route({ access: 'public', handle: async () => ok({ status: 'ok', service: 'jixiao' }) }),
});
