import { parseQuery } from '@/server/http/json';
import { statsQuerySchema } from '@/server/http/schemas';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

// Decided purchases per 10-second bucket over the last minutes (default 5), succeeded and failed.
export async function GET(request: Request) {
  const query = parseQuery(request.url, statsQuerySchema);
  if (!query.ok) return query.response;
  return Response.json(await webServices().purchaseStats(query.value.minutes ?? 5), { headers: { 'Cache-Control': 'no-store' } });
}
