import { apiRoutes } from '@/server/contract';
import { answer, route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

export const GET = route(apiRoutes.ping, async () => answer({ ok: true }));
