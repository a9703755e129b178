'use client';
// The seller's sign-in: the password goes to POST /api/session, which sets the session cookie (httpOnly,
// so this code never sees it). Wrong passwords show under the field; after too many the server pauses
// sign-in for this client, and the button says for how long.
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { signIn } from '@/components/api/api-client';
import { describeFailure } from '@/components/api/describe-failure';
import { FormField, FormStatus, SubmitButton, focusRing, type FormMessage } from './form-controls';

function useSecondsUntil(untilMs: number | null): number {
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    if (untilMs === null) return;
    setNowMs(Date.now());
    const timer = setInterval(() => setNowMs(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [untilMs]);
  return untilMs === null ? 0 : Math.max(0, Math.ceil((untilMs - nowMs) / 1000));
}

export function SignInForm() {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [password, setPassword] = useState('');
  const [visible, setVisible] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [message, setMessage] = useState<FormMessage>(null);
  const [busy, setBusy] = useState(false);
  const [pausedUntilMs, setPausedUntilMs] = useState<number | null>(null);
  const secondsLeft = useSecondsUntil(pausedUntilMs);
  // Until React has attached onSubmit, a click would post the form natively and only reload an empty page.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (password === '') {
      setError('Enter the password.');
      input.current?.focus();
      return;
    }
    setBusy(true);
    setMessage(null);
    setError(undefined);
    const answer = await signIn(password);
    if (answer.ok) {
      setMessage({ tone: 'success', text: 'Signed in. Opening the dashboard…' });
      router.replace('/seller');
      // Stays busy: the page is about to change.
      return;
    }
    const failure = answer.failure;
    switch (failure.kind) {
      case 'unauthorised':
        setError('Wrong password. Try again.');
        input.current?.select();
        break;
      case 'rate-limited':
        setPausedUntilMs(Date.now() + failure.retryAfterSeconds * 1000);
        setMessage({ tone: 'error', text: `Too many failed sign-ins. Sign-in is paused for ${failure.retryAfterSeconds} seconds.` });
        break;
      case 'invalid':
        setError(failure.fields.password ?? failure.message);
        break;
      case 'unavailable':
      case 'not-found':
      case 'failed':
        setMessage({ tone: 'error', text: `Could not sign in. ${describeFailure(failure)}` });
        break;
      default: {
        const unreachable: never = failure;
        throw new Error(`unknown sign-in outcome ${JSON.stringify(unreachable)}`);
      }
    }
    setBusy(false);
  }

  const paused = secondsLeft > 0;
  return (
    // method="post": should the script not have loaded, the browser must not put the password in the URL.
    <form noValidate method="post" onSubmit={onSubmit} className="space-y-5">
      <FormField id="seller-password" label="Password" error={error}>
        {(control) => (
          <div className="relative">
            <input
              {...control}
              ref={input}
              name="password"
              type={visible ? 'text' : 'password'}
              autoComplete="current-password"
              autoFocus
              value={password}
              onChange={(event) => {
                setPassword(event.target.value);
                setError(undefined);
              }}
              className={`${control.className} pr-16`}
            />
            <button
              type="button"
              onClick={() => setVisible((current) => !current)}
              aria-pressed={visible}
              aria-controls={control.id}
              className={`absolute inset-y-1 right-1 rounded-md px-2.5 text-xs font-medium text-slate-600 dark:text-slate-400 hover:bg-slate-100 dark:hover:bg-slate-800 ${focusRing}`}
            >
              {visible ? 'Hide' : 'Show'}
              <span className="sr-only"> password</span>
            </button>
          </div>
        )}
      </FormField>
      <FormStatus message={message} testId="sign-in-status" />
      <div className="[&>button]:w-full">
        <SubmitButton busy={busy} disabled={paused || !hydrated}>
          {paused ? `Try again in ${secondsLeft} s` : busy ? 'Signing in…' : 'Sign in'}
        </SubmitButton>
      </div>
    </form>
  );
}
