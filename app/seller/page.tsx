import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { SellerDashboard } from '@/components/seller/seller-dashboard';
import { sessionCookieName } from '@/server/auth/session';
import { webServices } from '@/server/web-services';

// Decided per request from the session cookie: never prerendered, never cached.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Seller dashboard · Book Purchase Streams' };

export default async function SellerPage() {
  const session = (await cookies()).get(sessionCookieName)?.value;
  if (!webServices().hasSellerSession(session)) redirect('/seller/sign-in');
  return <SellerDashboard />;
}
