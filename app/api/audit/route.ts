import { apiRoutes } from '@/server/contract';
import { answer, route } from '@/server/http/route';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

// The auditor's stored report: kept current by the auditor process, so this never replays a topic.
export const GET = route(apiRoutes.getAudit, async () => answer(await webServices().storedAudit()));
