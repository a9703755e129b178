import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { LockIcon } from '@/components/seller/icons';
import { SignInForm } from '@/components/seller/sign-in-form';
import { isSignedInSeller } from '@/server/auth/seller-page-session';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Seller sign-in · Book Purchase Streams' };

type SignInSearch = { session?: string | string[] };

export default async function SellerSignInPage({ searchParams }: { searchParams: Promise<SignInSearch> }) {
  // The dashboard sends the seller here with ?session=ended when a call was refused for want of a session.
  const sessionEnded = (await searchParams).session === 'ended';
  // A seller who is already signed in has nothing to do here.
  if (await isSignedInSeller()) redirect('/seller');
  return (
    <div className="mx-auto max-w-sm pt-4 sm:pt-10">
      <div className="rounded-2xl border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-6 shadow-sm sm:p-8">
        <span className="flex h-11 w-11 items-center justify-center rounded-full bg-indigo-50 dark:bg-indigo-950 text-indigo-600 dark:text-indigo-400 ring-1 ring-indigo-100 dark:ring-indigo-800">
          <LockIcon className="h-5 w-5" />
        </span>
        <h1 className="mt-4 text-xl font-semibold tracking-tight text-slate-900 dark:text-slate-50">Seller sign-in</h1>
        <p className="mt-1 mb-6 text-sm text-slate-600 dark:text-slate-400">Sign in to restock items, watch purchases live and run the oversell audit.</p>
        {sessionEnded && (
          <p role="alert" data-testid="session-ended" className="mb-5 rounded-lg border border-amber-200 dark:border-amber-800 bg-amber-50 dark:bg-amber-950 px-3 py-2 text-sm text-amber-900 dark:text-amber-200">
            Your session has ended. Sign in again: what you had typed in the dashboard&apos;s forms is kept.
          </p>
        )}
        <SignInForm />
      </div>
      <p className="mt-6 text-center text-sm text-slate-600 dark:text-slate-400">
        Here to buy?{' '}
        <Link href="/" className="rounded font-medium text-indigo-700 dark:text-indigo-300 hover:text-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
          Go to the shop
        </Link>
      </p>
    </div>
  );
}
