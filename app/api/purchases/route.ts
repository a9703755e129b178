import { apiRoutes } from '@/server/contract';
import { answer, route } from '@/server/http/route';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

// "My purchases". POST /api/purchases never reaches Next: the lean router answers it (server/http/lean-routes.ts).
// An id asked twice is answered once.
export const GET = route(apiRoutes.lookupPurchases, async ({ query }) => answer(await webServices().lookupPurchases([...new Set(query.ids)])));
