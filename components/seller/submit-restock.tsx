// Both seller forms end in the same POST /api/items; this turns its result into what a form shows: field
// errors under the inputs, and one message in the form's live region.
import Link from 'next/link';
import type { RestockBody } from '@/server/contract';
import { restock, type ApiFailure } from '@/components/api/api-client';
import { describeFailure } from '@/components/api/describe-failure';
import type { FieldErrors, FormMessage } from './form-controls';

// uncertain: whether the restock was appended is unknown, so the same form sent again must reuse its restockId.
// failure: what the API answered, for the session guard (a 401 takes the seller to sign-in).
export type RestockSubmission = { accepted: boolean; uncertain: boolean; fields: FieldErrors; message: FormMessage; failure?: ApiFailure };

// 'add': the form adds a new item, and its success says so (not "restock"); 'restock' adds copies to one.
export type RestockKind = 'add' | 'restock';

export async function submitRestock(request: RestockBody, formFields: readonly string[], kind: RestockKind): Promise<RestockSubmission> {
  const answer = await restock(request);
  if (answer.ok) return describeRestock(answer, formFields, kind, request.description);
  return { ...describeRestock(answer, formFields, kind, request.description), failure: answer.failure };
}

function copies(quantity: number): string {
  return `${quantity.toLocaleString('en-US')} ${quantity === 1 ? 'copy' : 'copies'}`;
}

function describeRestock(answer: Awaited<ReturnType<typeof restock>>, formFields: readonly string[], kind: RestockKind, title: string): RestockSubmission {
  if (answer.ok) {
    const { itemId, quantity } = answer.value;
    return {
      accepted: true,
      uncertain: false,
      fields: {},
      message: {
        tone: 'success',
        text:
          kind === 'add' ? (
            <>
              Added “{title}” (<span className="font-mono">{itemId}</span>) with {copies(quantity)}. It appears in the table and the shop in a moment.
            </>
          ) : (
            <>
              Restock of {copies(quantity)} accepted for “{title}”. The table updates in a moment.
            </>
          ),
      },
    };
  }
  const failure = answer.failure;
  switch (failure.kind) {
    case 'invalid': {
      // Errors for fields this form has go under their inputs; any other (a body-level one) goes in the message.
      const fields = Object.fromEntries(Object.entries(failure.fields).filter(([field]) => formFields.includes(field)));
      const others = Object.entries(failure.fields).filter(([field]) => !formFields.includes(field));
      const text =
        others.length > 0
          ? `Not accepted: ${others.map(([field, error]) => `${field}: ${error}`).join('; ')}.`
          : Object.keys(fields).length > 0
            ? 'Not accepted: correct the fields marked above.'
            : describeFailure(failure);
      return { accepted: false, uncertain: false, fields, message: { tone: 'error', text } };
    }
    case 'unauthorised':
      return {
        accepted: false,
        uncertain: false,
        fields: {},
        message: {
          tone: 'error',
          text: (
            <>
              Your session has ended.{' '}
              <Link href="/seller/sign-in" className="font-semibold underline">
                Sign in again
              </Link>{' '}
              to restock.
            </>
          ),
        },
      };
    case 'unavailable':
      // A 503 from Kafka, a timeout or a dropped connection means "not confirmed", not "failed": the restock
      // may still be appended. Sending the same form again reuses its restockId, so it is applied once.
      return {
        accepted: false,
        uncertain: true,
        fields: {},
        message: {
          tone: 'error',
          text: `Not confirmed: the service is busy, partly down or out of reach. Submit the same form again after ${failure.retryAfterSeconds} s: it is applied once, however often it arrives.`,
        },
      };
    case 'rate-limited':
      return { accepted: false, uncertain: false, fields: {}, message: { tone: 'error', text: describeFailure(failure) } };
    case 'not-found':
    case 'failed':
      return {
        accepted: false,
        uncertain: true,
        fields: {},
        message: { tone: 'error', text: `${describeFailure(failure)} The restock may or may not have been applied; submitting the same form again applies it once.` },
      };
    default: {
      const unreachable: never = failure;
      throw new Error(`unknown restock failure ${JSON.stringify(unreachable)}`);
    }
  }
}
