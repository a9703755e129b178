import { errorResponse } from '@/server/http/json';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, { params }: { params: Promise<{ purchaseId: string }> }) {
  const { purchaseId } = await params;
  const purchase = await webServices().findPurchase(purchaseId);
  if (!purchase) return errorResponse(404, `no purchase ${purchaseId}`, { purchaseId: 'not found' });
  return Response.json(purchase, { headers: { 'Cache-Control': 'no-store' } });
}
