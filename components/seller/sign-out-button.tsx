'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { signOut } from '@/components/api/api-client';
import { describeFailure } from '@/components/api/describe-failure';
import { focusRing } from './form-controls';
import { SpinnerIcon } from './icons';
import { useSigningOut } from './session-guard';
import { clearFormDrafts } from './use-form-draft';

export function SignOutButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const signingOut = useSigningOut();

  async function onClick() {
    setBusy(true);
    setError(null);
    signingOut(true);
    const answer = await signOut();
    if (!answer.ok) {
      signingOut(false);
      // The cookie is httpOnly: only the server can clear it, so a failed sign-out is reported, not assumed.
      setBusy(false);
      setError(describeFailure(answer.failure));
      return;
    }
    // Signed out on purpose: nothing typed here should greet the next person at this screen.
    clearFormDrafts();
    router.replace('/seller/sign-in');
    router.refresh();
  }

  return (
    <div className="flex flex-col items-end gap-1">
      <button
        type="button"
        onClick={() => void onClick()}
        disabled={busy}
        className={`inline-flex items-center gap-2 rounded-lg bg-white dark:bg-slate-900 px-3.5 py-2 text-sm font-medium text-slate-700 dark:text-slate-300 shadow-xs ring-1 ring-slate-300 dark:ring-slate-600 hover:bg-slate-50 dark:hover:bg-slate-800 disabled:text-slate-400 ${focusRing}`}
      >
        {busy && <SpinnerIcon className="h-4 w-4" />}
        Sign out
      </button>
      {error && (
        <p role="alert" className="text-xs text-rose-700 dark:text-rose-300">
          Could not sign out: {error}
        </p>
      )}
    </div>
  );
}
