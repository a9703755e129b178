import { apiRoutes } from '@/server/contract';
import { answer, route } from '@/server/http/route';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export const GET = route(apiRoutes.stats, async ({ query }) => answer(await webServices().purchaseStats(query.range ?? '5m')));
