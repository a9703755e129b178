import { apiRoutes } from '@/server/contract';
import { errorAnswer, answer, route } from '@/server/http/route';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

export const GET = route(apiRoutes.getAuditJob, async ({ params }) => {
  const job = await webServices().findAuditJob(params.jobId);
  return job ? answer(job) : errorAnswer(404, `no audit job ${params.jobId}`, { jobId: 'not found' });
});
