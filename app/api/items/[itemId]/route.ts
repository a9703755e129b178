import { apiRoutes } from '@/server/contract';
import { errorAnswer, answer, route } from '@/server/http/route';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export const GET = route(apiRoutes.getItem, async ({ params }) => {
  const item = await webServices().findItem(params.itemId);
  return item ? answer(item) : errorAnswer(404, `no item ${params.itemId}`, { itemId: 'not found' });
});

// Seller only (the contract's seller flag; a cookie-authenticated edit must come from the app's origin). An
// item with no row yet is 404 here, though its first restock may still be on its way to the worker: an edit
// appended before it would be rejected by the worker anyway (UNKNOWN_ITEM), silently.
export const PATCH = route(apiRoutes.editItem, async ({ params, body }) => {
  if (!(await webServices().findItem(params.itemId))) return errorAnswer(404, `no item ${params.itemId}`, { itemId: 'not found' });
  await webServices().purchases.editItem(params.itemId, body);
  return answer({ itemId: params.itemId, status: 'PENDING' }, 202);
});
