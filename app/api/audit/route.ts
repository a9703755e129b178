import { errorResponse } from '@/server/http/json';
import { webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

// The oversell auditor's verdict (replays both topics and compares them with Postgres): sellers only.
export async function GET(request: Request) {
  const services = webServices();
  if (!services.isSeller(request)) return errorResponse(401, 'seller authorisation required', { authorization: 'sign in or send Bearer <seller token>' });
  return Response.json(await services.audit(), { headers: { 'Cache-Control': 'no-store' } });
}
