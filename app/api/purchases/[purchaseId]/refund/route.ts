import { apiRoutes } from '@/server/contract';
import { refundAnswer } from '@/server/http/hold-answers';
import { route } from '@/server/http/route';
import { clientAddressHeader, webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

// Seller only (the contract's seller flag): the route wrapper answers 401 to anyone else.
export const POST = route(apiRoutes.refundPurchase, async ({ params, query, request }) => {
  const client = request.headers.get(clientAddressHeader) ?? 'unknown';
  return refundAnswer(await webServices().refunds.refund(params.purchaseId, query.wait ?? 0, client), params.purchaseId);
});
