'use client';
// One restockId per submitted form: a form sent again unchanged after an answer that left the outcome unknown
// (503, timeout, dropped connection) reuses its id, so the worker applies the restock once however often it
// arrives. A changed form, or one whose last answer was definite, is a new restock with a new id.
import { useRef } from 'react';
import type { RestockBody } from '@/server/contract';
import { newRequestId } from '@/components/api/request-id';

type Unsettled = { restockId: string; body: string };

export function useRestockId() {
  const unsettled = useRef<Unsettled | null>(null);

  // The request to send for this body, with the restockId of an unsettled identical one or a new id.
  function requestFor(body: Omit<RestockBody, 'restockId'>): RestockBody {
    const key = JSON.stringify([body.itemId ?? null, body.description, body.quantity, body.unitPrice ?? null]);
    const reused = unsettled.current?.body === key ? unsettled.current.restockId : undefined;
    const restockId = reused ?? newRequestId();
    unsettled.current = { restockId, body: key };
    return { ...body, restockId };
  }

  // uncertain: the answer left open whether the restock was appended, so the same form may be sent again.
  function settle(uncertain: boolean): void {
    if (!uncertain) unsettled.current = null;
  }

  return { requestFor, settle };
}
