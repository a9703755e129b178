import { errorResponse, orUnavailable, parseJsonBody, parseQuery, unavailableResponse } from '@/server/http/json';
import { itemsQuerySchema, restockBodySchema } from '@/server/http/schemas';
import { limits } from '@/server/limits';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

// A restock (or a new item): 202 once the event is durably appended; the worker applies it shortly after.
export async function POST(request: Request) {
  const services = webServices();
  if (!services.isSeller(request)) {
    return errorResponse(401, 'seller authorisation required', { authorization: 'expected Bearer <seller token>' }, { 'WWW-Authenticate': 'Bearer' });
  }
  const body = await parseJsonBody(request, restockBodySchema);
  if (!body.ok) return body.response;
  const outcome = await services.purchases.restock(body.value);
  if (outcome.kind === 'unavailable') return unavailableResponse(outcome.dependency);
  return Response.json({ itemId: outcome.itemId, quantity: outcome.quantity }, { status: 202 });
}

export async function GET(request: Request) {
  const query = parseQuery(request.url, itemsQuerySchema);
  if (!query.ok) return query.response;
  const { after, limit } = query.value;
  return orUnavailable(async () =>
    Response.json(await webServices().listItems(after, limit ?? limits.itemsPageSizeMax), { headers: { 'Cache-Control': 'no-store' } }),
  );
}
