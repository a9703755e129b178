import { readCookie, sessionCookieName } from '@/server/auth/session';
import { apiRoutes } from '@/server/contract';
import { answer, errorAnswer, route } from '@/server/http/route';
import { clientAddressHeader, webServices } from '@/server/web-services';

export const dynamic = 'force-dynamic';

// Seller sign-in: sets the session cookie the dashboard and the seller API accept.
export const POST = route(apiRoutes.signIn, async ({ body, request }) => {
  const outcome = await webServices().signIn(body.password, request.headers.get(clientAddressHeader) ?? 'unknown');
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

// Revokes the session server-side, so a copy of the cookie is worthless from now on.
export const DELETE = route(apiRoutes.signOut, async ({ request }) =>
  answer(undefined, 204, { 'Set-Cookie': await webServices().signOut(readCookie(request.headers.get('cookie'), sessionCookieName)) }),
);
