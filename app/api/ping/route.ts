import { apiRoutes } from '@/server/contract';
import { jsonResponse, route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(apiRoutes.ping, async () => jsonResponse({ ok: true }));
