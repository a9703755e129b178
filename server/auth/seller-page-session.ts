// The one server-side helper that pages may import: whether the request comes from a signed-in seller. It
// reads the session cookie through Next's request context and asks the session store (one primary-key look-up),
// so server-rendered seller pages need nothing else from server/.
import { cookies } from 'next/headers';
import { webServices } from '../web-services';
import { sessionCookieName } from './session';

export async function isSignedInSeller(): Promise<boolean> {
  return webServices().hasSellerSession((await cookies()).get(sessionCookieName)?.value);
}
