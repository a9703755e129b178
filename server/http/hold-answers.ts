// How the outcomes of confirm, cancel and refund become HTTP answers, for their Next route handlers.
import type { HoldStepOutcome } from '../purchases/hold-service';
import type { RefundOutcome } from '../purchases/refund-service';
import { answer, errorAnswer, type Answer } from './answer';

// 200 with the decided state, 202 PENDING with the place to ask later, or 404 (nothing was appended).
export function holdStepAnswer<Result>(outcome: HoldStepOutcome<Result>, holdId: string): Answer {
  switch (outcome.kind) {
    case 'decided':
      return answer(outcome.result, 200);
    case 'pending':
      return answer({ holdId: outcome.holdId, status: 'PENDING' }, 202, { Location: `/api/holds/${encodeURIComponent(outcome.holdId)}` });
    case 'unknown':
      return errorAnswer(404, `no hold ${holdId}`, { holdId: 'not found' });
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(unreachable)}`);
    }
  }
}

export function refundAnswer(outcome: RefundOutcome, purchaseId: string): Answer {
  switch (outcome.kind) {
    case 'refunded':
      return answer(outcome.result, 200);
    case 'pending':
      return answer({ purchaseId: outcome.purchaseId, status: 'REFUND_PENDING' }, 202, { Location: `/api/purchases/${encodeURIComponent(outcome.purchaseId)}` });
    case 'unknown':
      return errorAnswer(404, `no purchase ${purchaseId}`, { purchaseId: 'not found' });
    case 'not-refundable':
      return outcome.status === 'FAILED'
        ? errorAnswer(409, `purchase ${purchaseId} failed: there is nothing to refund`, { purchaseId: 'the purchase FAILED' })
        : errorAnswer(409, `purchase ${purchaseId} is not decided yet: refund it once it SUCCEEDED`, { purchaseId: 'the purchase is still PENDING' });
    default: {
      const unreachable: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(unreachable)}`);
    }
  }
}
