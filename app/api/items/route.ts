import { apiRoutes } from '@/server/contract';
import { sellerRequiredAnswer } from '@/server/http/answer';
import { itemsPageAnswer, itemsRequestOf } from '@/server/http/items-page';
import { answer, errorAnswer, route } from '@/server/http/route';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export const POST = route(apiRoutes.restock, async ({ body }) => {
  const outcome = await webServices().purchases.restock(body);
  if (outcome.kind === 'conflict') {
    return errorAnswer(409, `restock ${outcome.restockId} already exists with another body`, { restockId: 'already used for a different restock' });
  }
  return answer(outcome.accepted, 202);
});

// Anyone may list the shop; archived items (archived=include or only) are the seller's to see.
export const GET = route(apiRoutes.listItems, async ({ query, request }) => {
  const items = itemsRequestOf(query);
  if (items.filters.archived !== 'exclude' && (await webServices().authenticateSeller(request.headers)) === 'none') return sellerRequiredAnswer();
  return itemsPageAnswer(items, await webServices().listItems(items));
});
