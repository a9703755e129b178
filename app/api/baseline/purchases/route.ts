import { apiRoutes } from '@/server/contract';
import { errorResponse, jsonResponse, route } from '@/server/http/route';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

// The benchmark's row-lock baseline (server/baseline), behind the same HTTP layer as the real purchase API.
// Absent unless the web process runs with BASELINE_ENABLED=true.
export const POST = route(apiRoutes.baselinePurchase, async ({ body }) => {
  const purchase = webServices().baselinePurchase;
  if (!purchase) return errorResponse(404, 'the row-lock baseline is not enabled (BASELINE_ENABLED=true)');
  if (!body.purchaseId) return errorResponse(400, 'invalid purchaseId', { purchaseId: 'required by the baseline' });
  return jsonResponse(await purchase(body.purchaseId, body.itemId, body.quantity));
});
