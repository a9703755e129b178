import { apiRoutes } from '@/server/contract';
import { errorAnswer, answer, route } from '@/server/http/route';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export const GET = route(apiRoutes.getPurchase, async ({ params }) => {
  const purchase = await webServices().findPurchase(params.purchaseId);
  return purchase ? answer(purchase) : errorAnswer(404, `no purchase ${params.purchaseId}`, { purchaseId: 'not found' });
});
