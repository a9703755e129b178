import { apiRoutes } from '@/server/contract';
import { answer, route } from '@/server/http/route';
import { limits } from '@/server/limits';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export const GET = route(apiRoutes.sales, async ({ query }) => answer(await webServices().refunds.sales(query.limit ?? limits.salesListedMax)));
