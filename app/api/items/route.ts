import { apiRoutes } from '@/server/contract';
import { answer, errorAnswer, route } from '@/server/http/route';
import { limits } from '@/server/limits';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export const POST = route(apiRoutes.restock, async ({ body }) => {
  const outcome = await webServices().purchases.restock(body);
  if (outcome.kind === 'conflict') {
    return errorAnswer(409, `restock ${outcome.restockId} already exists with another body`, { restockId: 'already used for a different restock' });
  }
  return answer(outcome.accepted, 202);
});

export const GET = route(apiRoutes.listItems, async ({ query }) =>
  answer(await webServices().listItems(query.after, query.limit ?? limits.itemsPageSizeMax)),
);
