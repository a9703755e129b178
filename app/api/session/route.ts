import { errorResponse, parseJsonBody } from '@/server/http/json';
import { signInBodySchema } from '@/server/http/schemas';
import { clientAddressHeader, webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

// Seller sign-in: sets the session cookie the dashboard and the restock API accept.
export async function POST(request: Request) {
  const body = await parseJsonBody(request, signInBodySchema);
  if (!body.ok) return body.response;
  const outcome = webServices().signIn(body.value.password, request.headers.get(clientAddressHeader) ?? 'unknown');
  switch (outcome.kind) {
    case 'signed-in':
      return new Response(null, { status: 204, headers: { 'Set-Cookie': outcome.cookie } });
    case 'wrong-password':
      return errorResponse(401, 'wrong password', { password: 'wrong password' });
    case 'rate-limited':
      return errorResponse(429, `too many failed sign-ins; try again in ${outcome.retryAfterSeconds} s`, { password: 'too many attempts' }, {
        'Retry-After': String(outcome.retryAfterSeconds),
      });
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown sign-in outcome ${JSON.stringify(unreachable)}`);
    }
  }
}

export async function DELETE() {
  return new Response(null, { status: 204, headers: { 'Set-Cookie': webServices().signOutCookie() } });
}
