import { apiRoutes } from '@/server/contract';
import { holdStepAnswer } from '@/server/http/hold-answers';
import { route } from '@/server/http/route';
import { clientAddressHeader, webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export const POST = route(apiRoutes.confirmHold, async ({ params, query, request }) => {
  const client = request.headers.get(clientAddressHeader) ?? 'unknown';
  return holdStepAnswer(await webServices().holds.confirm(params.holdId, query.wait ?? 0, client), params.holdId);
});
