import { apiRoutes } from '@/server/contract';
import { answer, route } from '@/server/http/route';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export const GET = route(apiRoutes.shop, async () => answer(webServices().shop));
