import { webServices } from '@/server/web-services';

// Health must reflect the dependencies now, never a cached page.
export const dynamic = 'force-dynamic';

export async function GET() {
  const report = await webServices().health();
  return Response.json(report, { status: report.status === 'up' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
