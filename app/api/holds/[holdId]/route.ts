import { apiRoutes } from '@/server/contract';
import { errorAnswer, answer, route } from '@/server/http/route';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export const GET = route(apiRoutes.getHold, async ({ params }) => {
  const hold = await webServices().holds.findHold(params.holdId);
  return hold ? answer(hold) : errorAnswer(404, `no hold ${params.holdId}`, { holdId: 'not found' });
});
