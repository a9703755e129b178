import { apiRoutes } from '@/server/contract';
import { answer, route } from '@/server/http/route';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

// A full audit from offset 0 runs in the auditor process; this only records the job.
export const POST = route(apiRoutes.startAudit, async () => {
  const job = await webServices().startAuditJob();
  return answer(job, 202, { Location: `/api/audit/jobs/${job.jobId}` });
});
