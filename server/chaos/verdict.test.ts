// Goal: the chaos verdict counts lost, duplicated and oversold purchases and extra result copies exactly, from hand-made facts, and passes only a run with none of the first three.
import { describe, expect, it } from 'vitest';
import { judgeChaos, type ChaosFacts, type DatabaseDecision, type TopicResult } from './verdict';

const bought = (purchaseId: string, itemId = 'a', quantity = 1): DatabaseDecision => ({ purchaseId, itemId, quantity, status: 'SUCCEEDED', reason: null, remaining: 0 });
const refused = (purchaseId: string, itemId = 'a', quantity = 1): DatabaseDecision => ({ purchaseId, itemId, quantity, status: 'FAILED', reason: 'OUT_OF_STOCK', remaining: 0 });
const onTopic = (decision: DatabaseDecision): TopicResult => ({ ...decision, decidedAt: '2026-12-01T00:00:00.000Z' });

// Item a: 2 restocked, p1 and p2 bought one each, p3 refused. Everything agrees.
function cleanFacts(): ChaosFacts {
  const decisions = [{ ...bought('p1'), remaining: 1 }, bought('p2'), refused('p3')];
  return {
    acknowledged: decisions.map(({ purchaseId, itemId, quantity }) => ({ purchaseId, itemId, quantity })),
    givenUp: [],
    databaseDecisions: decisions,
    topicResults: decisions.map(onTopic),
    items: [{ itemId: 'a', restocked: 2, sold: 2, available: 0, held: 0, refunded: 0 }],
    restockedAcknowledged: new Map([['a', 2]]),
  };
}

describe('judgeChaos', () => {
  it('passes a run where everything agrees', () => {
    expect(judgeChaos(cleanFacts())).toEqual({
      acknowledged: 3,
      decided: 3,
      givenUp: 0,
      lost: 0,
      lostOnTopic: 0,
      duplicated: 0,
      oversold: 0,
      extraCopies: 0,
      decidedWithoutAcknowledgement: 0,
      findings: [],
      ok: true,
    });
  });

  it('counts identical re-sent copies as extra copies, not as duplicates', () => {
    const facts = cleanFacts();
    const verdict = judgeChaos({ ...facts, topicResults: [...facts.topicResults, ...facts.topicResults.slice(0, 2), onTopic(bought('p2'))] });
    expect(verdict).toMatchObject({ extraCopies: 3, duplicated: 0, ok: true });
  });

  it('finds an acknowledged purchase without a decision, in Postgres and on the topic', () => {
    const facts = cleanFacts();
    const verdict = judgeChaos({ ...facts, acknowledged: [...facts.acknowledged, { purchaseId: 'p4', itemId: 'a', quantity: 1 }] });
    expect(verdict).toMatchObject({ acknowledged: 4, decided: 3, lost: 1, lostOnTopic: 1, ok: false });
    expect(verdict.findings[0]).toBe('lost (acknowledged, no decision in Postgres): 1 (p4)');
  });

  it('finds a decision missing only from the topic', () => {
    const facts = cleanFacts();
    expect(judgeChaos({ ...facts, topicResults: facts.topicResults.slice(1) })).toMatchObject({ lost: 0, lostOnTopic: 1, ok: false });
  });

  it('finds two different decisions for one purchase on the topic', () => {
    const facts = cleanFacts();
    const verdict = judgeChaos({ ...facts, topicResults: [...facts.topicResults, onTopic(refused('p2'))] });
    expect(verdict).toMatchObject({ duplicated: 1, extraCopies: 1, ok: false });
  });

  it('finds a topic decision that disagrees with Postgres', () => {
    const facts = cleanFacts();
    const verdict = judgeChaos({ ...facts, topicResults: [onTopic({ ...bought('p1'), remaining: 7 }), ...facts.topicResults.slice(1)] });
    expect(verdict).toMatchObject({ duplicated: 1, ok: false });
  });

  it('finds a second stock effect: sold more than the succeeded quantities', () => {
    const facts = cleanFacts();
    const verdict = judgeChaos({ ...facts, items: [{ itemId: 'a', restocked: 3, sold: 3, available: 0, held: 0, refunded: 0 }], restockedAcknowledged: new Map([['a', 3]]) });
    expect(verdict).toMatchObject({ duplicated: 1, oversold: 0, ok: false });
    expect(verdict.findings).toEqual(['stock effects that do not match the decisions: 1 (a: sold 3 but succeeded quantities sum to 2)']);
  });

  it('finds a restock applied twice', () => {
    const facts = cleanFacts();
    const verdict = judgeChaos({ ...facts, items: [{ itemId: 'a', restocked: 4, sold: 2, available: 2, held: 0, refunded: 0 }] });
    expect(verdict.findings).toEqual(['stock effects that do not match the decisions: 1 (a: restocked 4 but 2 acknowledged)']);
  });

  it('finds an oversold item', () => {
    const facts = cleanFacts();
    const verdict = judgeChaos({ ...facts, items: [{ itemId: 'a', restocked: 1, sold: 2, available: -1, held: 0, refunded: 0 }], restockedAcknowledged: new Map([['a', 1]]) });
    expect(verdict).toMatchObject({ oversold: 1, ok: false });
  });

  it('passes a refunded purchase (sold and refunded, its units back in available) and finds refunded or held units no decision explains', () => {
    const facts = cleanFacts();
    const refundedP2 = { ...bought('p2'), status: 'REFUNDED' as const };
    const decisions = [...facts.databaseDecisions.filter((decision) => decision.purchaseId !== 'p2'), refundedP2];
    const refunded = { ...facts, databaseDecisions: decisions, items: [{ itemId: 'a', restocked: 2, sold: 2, available: 1, held: 0, refunded: 1 }] };
    expect(judgeChaos(refunded)).toMatchObject({ duplicated: 0, oversold: 0, ok: true });
    expect(judgeChaos({ ...refunded, topicResults: [...facts.topicResults, onTopic(refundedP2)] })).toMatchObject({ duplicated: 0, extraCopies: 1, ok: true });
    expect(judgeChaos({ ...facts, items: [{ itemId: 'a', restocked: 2, sold: 2, available: 1, held: 0, refunded: 1 }] }).findings).toEqual([
      'stock effects that do not match the decisions: 1 (a: refunded 1 but refunded quantities sum to 0)',
    ]);
    expect(judgeChaos({ ...facts, items: [{ itemId: 'a', restocked: 2, sold: 2, available: 0, held: 1, refunded: 0 }] }).findings).toEqual([
      'stock effects that do not match the decisions: 1 (a: available 0 + held 1 + sold 2 − refunded 0 ≠ restocked 2)',
      'oversold: 1 (a: sold 2 (0 refunded), held 1 of 2, available 0)',
    ]);
  });

  it('finds a decision for another item or quantity than acknowledged, and a missing item row', () => {
    const facts = cleanFacts();
    const verdict = judgeChaos({ ...facts, acknowledged: facts.acknowledged.map((purchase) => (purchase.purchaseId === 'p3' ? { ...purchase, quantity: 2 } : purchase)) });
    expect(verdict).toMatchObject({ duplicated: 1, ok: false });
    expect(judgeChaos({ ...facts, items: [] })).toMatchObject({ duplicated: 1, ok: false });
  });

  it('notes decisions of purchases never acknowledged and lists those given up, without failing the run', () => {
    const facts = cleanFacts();
    const verdict = judgeChaos({ ...facts, acknowledged: facts.acknowledged.slice(0, 2), givenUp: ['p3'] });
    expect(verdict).toMatchObject({ acknowledged: 2, givenUp: 1, decidedWithoutAcknowledgement: 1, ok: true });
    expect(verdict.findings).toHaveLength(2);
  });

  it('shows at most five examples of a finding', () => {
    const facts = cleanFacts();
    const extra = Array.from({ length: 7 }, (_, index) => ({ purchaseId: `x${index}`, itemId: 'a', quantity: 1 }));
    expect(judgeChaos({ ...facts, acknowledged: [...facts.acknowledged, ...extra] }).findings[0]).toBe('lost (acknowledged, no decision in Postgres): 7 (x0; x1; x2; x3; x4; …)');
  });
});
