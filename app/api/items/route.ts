import { apiRoutes } from '@/server/contract';
import { answer, route } from '@/server/http/route';
import { limits } from '@/server/limits';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export const POST = route(apiRoutes.restock, async ({ body }) => {
  const accepted = await webServices().purchases.restock(body);
  return answer(accepted, 202);
});

export const GET = route(apiRoutes.listItems, async ({ query }) =>
  answer(await webServices().listItems(query.after, query.limit ?? limits.itemsPageSizeMax)),
);
