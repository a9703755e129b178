import { errorResponse, invalid, orUnavailable } from '@/server/http/json';
import { purchaseIdSchema } from '@/server/kafka/messages';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, { params }: { params: Promise<{ purchaseId: string }> }) {
  const purchaseId = purchaseIdSchema.safeParse((await params).purchaseId);
  if (!purchaseId.success) return invalid(purchaseId.error, 'purchaseId');
  return orUnavailable(async () => {
    const purchase = await webServices().findPurchase(purchaseId.data);
    if (!purchase) return errorResponse(404, `no purchase ${purchaseId.data}`, { purchaseId: 'not found' });
    return Response.json(purchase, { headers: { 'Cache-Control': 'no-store' } });
  });
}
