import { apiRoutes } from '@/server/contract';
import { errorResponse, jsonResponse, route } from '@/server/http/route';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

// 200 with the result when it is decided (within ?wait=ms), else 202 PENDING with the place to ask later.
export const POST = route(apiRoutes.purchase, async ({ query, body }) => {
  const outcome = await webServices().purchases.purchase(body, query.wait ?? 0);
  switch (outcome.kind) {
    case 'finished':
      return jsonResponse(outcome.result, 200);
    case 'pending':
      return jsonResponse({ purchaseId: outcome.purchaseId, status: 'PENDING' }, 202, {
        Location: `/api/purchases/${encodeURIComponent(outcome.purchaseId)}`,
      });
    case 'conflict':
      return errorResponse(409, `purchase ${outcome.purchaseId} already exists with another body`, {
        purchaseId: 'already used for a different purchase',
      });
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(unreachable)}`);
    }
  }
});
