import { errorResponse, parseJsonBody } from '@/server/http/json';
import { purchaseBodySchema } from '@/server/http/schemas';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

// The benchmark's row-lock baseline (server/baseline), behind the same HTTP layer as the real purchase API.
// Absent unless the web process runs with BASELINE_ENABLED=true.
export async function POST(request: Request) {
  const purchase = webServices().baselinePurchase;
  if (!purchase) return errorResponse(404, 'the row-lock baseline is not enabled (BASELINE_ENABLED=true)');
  const body = await parseJsonBody(request, purchaseBodySchema);
  if (!body.ok) return body.response;
  const { purchaseId, itemId, quantity } = body.value;
  if (!purchaseId) return errorResponse(400, 'invalid purchaseId', { purchaseId: 'required by the baseline' });
  return Response.json(await purchase(purchaseId, itemId, quantity));
}
