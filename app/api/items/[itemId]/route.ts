import { errorResponse } from '@/server/http/json';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, { params }: { params: Promise<{ itemId: string }> }) {
  const { itemId } = await params;
  const item = await webServices().findItem(itemId);
  if (!item) return errorResponse(404, `no item ${itemId}`, { itemId: 'not found' });
  return Response.json(item, { headers: { 'Cache-Control': 'no-store' } });
}
