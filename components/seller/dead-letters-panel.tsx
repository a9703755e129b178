'use client';
// Input records the worker skipped (malformed, or refused by PostgreSQL), newest first. They are rare and each
// one needs a person: the seller sees where it sat and why, and its first bytes with control characters shown.
import { useEffect, useState } from 'react';
import { fetchDeadLetters, type ApiFailure } from '@/components/api/api-client';
import { describeFailure } from '@/components/api/describe-failure';
import type { DeadLetter } from '@/server/contract';
import { useReportFailure } from './session-guard';

const refreshMs = 10_000;
const previewCharactersMax = 80;

// The bytes as text where they are printable, \u escapes where not, so a NUL is seen rather than hidden.
function preview(firstBytes: string): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(Uint8Array.from(atob(firstBytes), (character) => character.charCodeAt(0)));
  const shown = [...text]
    .slice(0, previewCharactersMax)
    .map((character) => (/[\p{Cc}\uFFFD]/u.test(character) ? `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}` : character))
    .join('');
  return text.length > previewCharactersMax ? `${shown}…` : shown;
}

export function DeadLettersPanel() {
  const [deadLetters, setDeadLetters] = useState<DeadLetter[] | undefined>(undefined);
  const [failure, setFailure] = useState<ApiFailure | undefined>(undefined);
  const reportFailure = useReportFailure();

  useEffect(() => {
    let active = true;
    const load = async () => {
      const result = await fetchDeadLetters();
      if (!active) return;
      if (result.ok) {
        setDeadLetters(result.value);
        setFailure(undefined);
      } else {
        reportFailure(result.failure);
        setFailure(result.failure);
      }
    };
    void load();
    const timer = setInterval(() => void load(), refreshMs);
    return () => {
      active = false;
      clearInterval(timer);
    };
  }, [reportFailure]);

  return (
    <section aria-labelledby="dead-letters-heading" className="rounded-xl border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-5 shadow-sm">
      <h2 id="dead-letters-heading" className="text-lg font-semibold text-slate-900 dark:text-slate-50">
        Dead letters
      </h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Records the worker skipped so that their partition goes on.</p>
      {failure !== undefined && <p className="mt-3 text-sm text-red-700 dark:text-rose-300">{describeFailure(failure)}</p>}
      {deadLetters !== undefined && deadLetters.length === 0 && <p className="mt-3 text-sm text-slate-600 dark:text-slate-400">None.</p>}
      {deadLetters !== undefined && deadLetters.length > 0 && (
        <table className="mt-3 w-full table-fixed text-left text-sm">
          <thead className="text-slate-600 dark:text-slate-400">
            <tr>
              <th className="w-1/4 py-1">Where</th>
              <th className="w-1/3 py-1">Reason</th>
              <th className="py-1">First bytes</th>
            </tr>
          </thead>
          <tbody>
            {deadLetters.map((deadLetter) => (
              <tr key={`${deadLetter.topic}:${deadLetter.partition}:${deadLetter.offset}`} className="border-t border-slate-100 dark:border-slate-800 align-top">
                <td className="py-1 break-words">
                  {deadLetter.topic} #{deadLetter.partition} @{deadLetter.offset}
                </td>
                <td className="py-1 break-words">{deadLetter.reason}</td>
                <td className="py-1 font-mono break-all">{preview(deadLetter.firstBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
