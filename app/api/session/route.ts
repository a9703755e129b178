import { apiRoutes } from '@/server/contract';
import { answer, errorAnswer, route } from '@/server/http/route';
import { clientAddressHeader, webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

// Seller sign-in: sets the session cookie the dashboard and the seller API accept.
export const POST = route(apiRoutes.signIn, async ({ body, request }) => {
  const outcome = webServices().signIn(body.password, request.headers.get(clientAddressHeader) ?? 'unknown');
  switch (outcome.kind) {
    case 'signed-in':
      return answer(undefined, 204, { 'Set-Cookie': outcome.cookie });
    case 'wrong-password':
      return errorAnswer(401, 'wrong password', { password: 'wrong password' });
    case 'rate-limited':
      return errorAnswer(429, `too many failed sign-ins; try again in ${outcome.retryAfterSeconds} s`, { password: 'too many attempts' }, {
        'Retry-After': String(outcome.retryAfterSeconds),
      });
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown sign-in outcome ${JSON.stringify(unreachable)}`);
    }
  }
});

export const DELETE = route(apiRoutes.signOut, async () => answer(undefined, 204, { 'Set-Cookie': webServices().signOutCookie() }));
