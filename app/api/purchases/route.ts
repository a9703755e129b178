import { errorResponse, parseJsonBody, parseQuery, unavailableResponse } from '@/server/http/json';
import { purchaseBodySchema, purchaseQuerySchema } from '@/server/http/schemas';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

// 200 with the result when it is decided (within ?wait=ms), else 202 PENDING with the place to ask later.
export async function POST(request: Request) {
  const query = parseQuery(request.url, purchaseQuerySchema);
  if (!query.ok) return query.response;
  const body = await parseJsonBody(request, purchaseBodySchema);
  if (!body.ok) return body.response;
  const outcome = await webServices().purchases.purchase(body.value, query.value.wait ?? 0);
  switch (outcome.kind) {
    case 'finished':
      return Response.json(outcome.result, { status: 200 });
    case 'pending':
      return Response.json(
        { purchaseId: outcome.purchaseId, status: 'PENDING' },
        { status: 202, headers: { Location: `/api/purchases/${encodeURIComponent(outcome.purchaseId)}` } },
      );
    case 'conflict':
      return errorResponse(409, `purchase ${outcome.purchaseId} already exists with another body`, {
        purchaseId: 'already used for a different purchase',
      });
    case 'unavailable':
      return unavailableResponse(outcome.dependency);
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(unreachable)}`);
    }
  }
}
