import { apiRoutes } from '@/server/contract';
import { answer, route } from '@/server/http/route';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export const GET = route(apiRoutes.health, async () => {
  const report = await webServices().health();
  return answer(report, report.status === 'up' ? 200 : 503);
});
