import { apiRoutes } from '@/server/contract';
import { errorAnswer, answer, route } from '@/server/http/route';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export const GET = route(apiRoutes.getItem, async ({ params }) => {
  const item = await webServices().findItem(params.itemId);
  return item ? answer(item) : errorAnswer(404, `no item ${params.itemId}`, { itemId: 'not found' });
});
