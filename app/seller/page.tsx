import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SellerDashboard } from '@/components/seller/seller-dashboard';
import { SessionGuard } from '@/components/seller/session-guard';
import { isSignedInSeller } from '@/server/auth/seller-page-session';

// Decided per request from the session cookie: never prerendered, never cached.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Seller dashboard · Book Purchase Streams' };

export default async function SellerPage() {
  if (!(await isSignedInSeller())) redirect('/seller/sign-in');
  return (
    <SessionGuard>
      <SellerDashboard />
    </SessionGuard>
  );
}
