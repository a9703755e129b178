import { apiRoutes } from '@/server/contract';
import { errorResponse, jsonResponse, route } from '@/server/http/route';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export const GET = route(apiRoutes.getItem, async ({ params }) => {
  const item = await webServices().findItem(params.itemId);
  return item ? jsonResponse(item) : errorResponse(404, `no item ${params.itemId}`, { itemId: 'not found' });
});
