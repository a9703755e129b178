import { errorResponse, invalid, orUnavailable } from '@/server/http/json';
import { itemIdSchema } from '@/server/kafka/messages';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, { params }: { params: Promise<{ itemId: string }> }) {
  const itemId = itemIdSchema.safeParse((await params).itemId);
  if (!itemId.success) return invalid(itemId.error, 'itemId');
  return orUnavailable(async () => {
    const item = await webServices().findItem(itemId.data);
    if (!item) return errorResponse(404, `no item ${itemId.data}`, { itemId: 'not found' });
    return Response.json(item, { headers: { 'Cache-Control': 'no-store' } });
  });
}
