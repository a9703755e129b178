// Both seller forms end in the same POST /api/items; this turns its outcome into what a form shows: field
// errors under the inputs, and one message in the form's live region.
import Link from 'next/link';
import type { FieldErrors, FormMessage } from './form-controls';
import { restock, type RestockRequest } from './seller-api';

export type RestockSubmission = { accepted: boolean; fields: FieldErrors; message: FormMessage };

export async function submitRestock(request: RestockRequest, formFields: readonly string[]): Promise<RestockSubmission> {
  const outcome = await restock(request);
  switch (outcome.kind) {
    case 'ok':
      return {
        accepted: true,
        fields: {},
        message: {
          tone: 'success',
          text: (
            <>
              Restock of {outcome.value.quantity.toLocaleString('en-US')} accepted for <span className="font-mono">{outcome.value.itemId}</span>. The table
              updates as soon as the worker applies it.
            </>
          ),
        },
      };
    case 'invalid': {
      // Errors for fields this form has go under their inputs; any other (a body-level one) goes in the message.
      const fields = Object.fromEntries(Object.entries(outcome.fields).filter(([field]) => formFields.includes(field)));
      const others = Object.entries(outcome.fields).filter(([field]) => !formFields.includes(field));
      const text = others.length > 0 ? `Not accepted: ${others.map(([field, error]) => `${field}: ${error}`).join('; ')}.` : 'Not accepted: correct the fields marked above.';
      return { accepted: false, fields, message: { tone: 'error', text } };
    }
    case 'unauthorised':
      return {
        accepted: false,
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
      // A 503 from Kafka means "not confirmed", not "failed": the restock may still be appended, and a restock
      // has no id to make a repeat harmless.
      return {
        accepted: false,
        fields: {},
        message: {
          tone: 'error',
          text: `Not confirmed: the service is busy or partly down, so this restock may or may not be applied. Check the table in a few seconds, and retry (after ${outcome.retryAfterSeconds} s) only if the stock did not change.`,
        },
      };
    case 'rate-limited':
      return { accepted: false, fields: {}, message: { tone: 'error', text: `Too many requests. Try again in ${outcome.retryAfterSeconds} s.` } };
    case 'failed':
      return {
        accepted: false,
        fields: {},
        message: { tone: 'error', text: `${outcome.message} The restock may or may not have been applied: check the table before retrying.` },
      };
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown restock outcome ${JSON.stringify(unreachable)}`);
    }
  }
}
