// The chaos run's verdict from what it collected: the purchases it had acknowledged, the decisions in
// Postgres, the result records on the results topic, the items' stock and the restocks it had acknowledged.
// Pure, so that every rule can be tested with facts made by hand.

// REFUNDED is a SUCCEEDED decision a seller later refunded: the same decision, its units back in available.
export type Decision = { status: 'SUCCEEDED' | 'FAILED' | 'REFUNDED'; reason: string | null; remaining: number; quantity: number; itemId: string };
export type AcknowledgedPurchase = { purchaseId: string; itemId: string; quantity: number };
export type DatabaseDecision = Decision & { purchaseId: string };
export type TopicResult = Decision & { purchaseId: string; decidedAt: string };
export type ItemStock = { itemId: string; restocked: number; sold: number; available: number; held: number; refunded: number };

export type ChaosFacts = {
  acknowledged: readonly AcknowledgedPurchase[];
  // Purchases sent that never got a 2xx before the run stopped trying.
  givenUp: readonly string[];
  databaseDecisions: readonly DatabaseDecision[];
  topicResults: readonly TopicResult[];
  items: readonly ItemStock[];
  // Per item: every restock the seller had acknowledged (each with its own restockId, so applied once).
  restockedAcknowledged: ReadonlyMap<string, number>;
};

export type ChaosVerdict = {
  acknowledged: number;
  decided: number;
  givenUp: number;
  // Acknowledged without a decision in Postgres, or without a result record on the topic.
  lost: number;
  lostOnTopic: number;
  // Two different decisions for one purchase (on the topic, or the topic against Postgres), and stock effects
  // that do not match the decisions (sold against the succeeded quantities, restocked against the restocks).
  duplicated: number;
  // Items with more sold than restocked, or a negative stock.
  oversold: number;
  // Result records on the topic beyond one per purchase (the at-least-once relay may repeat a record).
  extraCopies: number;
  // Decisions for purchases this run never had acknowledged (sent, answered 503 or cut off, then given up).
  decidedWithoutAcknowledgement: number;
  // Each finding in words; only the first few of each kind, with the total.
  findings: string[];
  ok: boolean;
};

const examplesMax = 5;

export function judgeChaos(facts: ChaosFacts): ChaosVerdict {
  const decisions = new Map(facts.databaseDecisions.map((decision) => [decision.purchaseId, decision]));
  const onTopic = groupResults(facts.topicResults);
  const acknowledgedIds = new Set(facts.acknowledged.map((purchase) => purchase.purchaseId));
  const findings: string[] = [];
  const report = (kind: string, examples: readonly string[]) => {
    if (examples.length > 0) findings.push(`${kind}: ${examples.length} (${examples.slice(0, examplesMax).join('; ')}${examples.length > examplesMax ? '; …' : ''})`);
    return examples.length;
  };

  const lost = report('lost (acknowledged, no decision in Postgres)', facts.acknowledged.filter((purchase) => !decisions.has(purchase.purchaseId)).map((purchase) => purchase.purchaseId));
  const lostOnTopic = report('lost on the topic (acknowledged, no result record)', facts.acknowledged.filter((purchase) => !onTopic.has(purchase.purchaseId)).map((purchase) => purchase.purchaseId));
  const changed = report('decision differs from the request (item or quantity)', facts.acknowledged.flatMap((purchase) => {
    const decision = decisions.get(purchase.purchaseId);
    return decision && (decision.itemId !== purchase.itemId || decision.quantity !== purchase.quantity) ? [purchase.purchaseId] : [];
  }));
  const conflicting = report('two different decisions on the topic', [...onTopic].filter(([, results]) => new Set(results.map(decisionKey)).size > 1).map(([purchaseId]) => purchaseId));
  const disagreeing = report('topic and Postgres disagree', [...onTopic].flatMap(([purchaseId, results]) => {
    const decision = decisions.get(purchaseId);
    const first = results[0];
    return decision && first && decisionKey(decision) !== decisionKey(first) ? [purchaseId] : [];
  }));
  const stockEffects = report('stock effects that do not match the decisions', stockMismatches(facts, decisions));
  const oversold = report('oversold', facts.items.filter((item) => item.sold - item.refunded + item.held > item.restocked || item.available < 0).map((item) => `${item.itemId}: sold ${item.sold} (${item.refunded} refunded), held ${item.held} of ${item.restocked}, available ${item.available}`));
  const unacknowledged = [...decisions.keys()].filter((purchaseId) => !acknowledgedIds.has(purchaseId));
  if (unacknowledged.length > 0) findings.push(`note: ${unacknowledged.length} decisions for purchases never acknowledged (given up after a 503 or a cut connection)`);
  report('given up (never acknowledged)', facts.givenUp);

  const extraCopies = facts.topicResults.length - onTopic.size;
  const duplicated = conflicting + disagreeing + stockEffects + changed;
  return {
    acknowledged: facts.acknowledged.length,
    decided: facts.acknowledged.length - lost,
    givenUp: facts.givenUp.length,
    lost,
    lostOnTopic,
    duplicated,
    oversold,
    extraCopies,
    decidedWithoutAcknowledgement: unacknowledged.length,
    findings,
    ok: lost === 0 && lostOnTopic === 0 && duplicated === 0 && oversold === 0,
  };
}

// The decision itself, without the fields a re-published copy may legitimately share or not (none differ
// today: the relay re-sends the stored row, so copies are byte-identical; this compares what matters). A
// refund does not change the decision, so a REFUNDED copy agrees with its SUCCEEDED one.
function decisionKey(decision: Decision): string {
  const status = decision.status === 'REFUNDED' ? 'SUCCEEDED' : decision.status;
  return JSON.stringify([status, decision.reason, decision.remaining, decision.quantity, decision.itemId]);
}

function groupResults(results: readonly TopicResult[]): Map<string, TopicResult[]> {
  const grouped = new Map<string, TopicResult[]>();
  for (const result of results) {
    const group = grouped.get(result.purchaseId);
    if (group) group.push(result);
    else grouped.set(result.purchaseId, [result]);
  }
  return grouped;
}

// Per item: sold is the sum of its succeeded quantities (refunded ones included), refunded the sum of the
// refunded ones, restocked is what the seller had acknowledged, available + held + sold − refunded =
// restocked; and every item that has decisions or restocks exists. The chaos buyers neither hold nor refund,
// so held and refunded are 0 unless something else wrote them.
function stockMismatches(facts: ChaosFacts, decisions: ReadonlyMap<string, DatabaseDecision>): string[] {
  const succeeded = new Map<string, number>();
  const refunded = new Map<string, number>();
  const add = (sums: Map<string, number>, decision: DatabaseDecision) => sums.set(decision.itemId, (sums.get(decision.itemId) ?? 0) + decision.quantity);
  for (const decision of decisions.values()) {
    if (decision.status !== 'FAILED') add(succeeded, decision);
    if (decision.status === 'REFUNDED') add(refunded, decision);
  }
  const items = new Map(facts.items.map((item) => [item.itemId, item]));
  const itemIds = new Set([...items.keys(), ...succeeded.keys(), ...facts.restockedAcknowledged.keys()]);
  return [...itemIds].sort().flatMap((itemId) => {
    const item = items.get(itemId);
    if (!item) return [`${itemId}: missing from items`];
    const problems = [
      ...(item.sold !== (succeeded.get(itemId) ?? 0) ? [`sold ${item.sold} but succeeded quantities sum to ${succeeded.get(itemId) ?? 0}`] : []),
      ...(item.restocked !== (facts.restockedAcknowledged.get(itemId) ?? 0) ? [`restocked ${item.restocked} but ${facts.restockedAcknowledged.get(itemId) ?? 0} acknowledged`] : []),
      ...(item.refunded !== (refunded.get(itemId) ?? 0) ? [`refunded ${item.refunded} but refunded quantities sum to ${refunded.get(itemId) ?? 0}`] : []),
      ...(item.available + item.held + item.sold - item.refunded !== item.restocked ? [`available ${item.available} + held ${item.held} + sold ${item.sold} − refunded ${item.refunded} ≠ restocked ${item.restocked}`] : []),
    ];
    return problems.length === 0 ? [] : [`${itemId}: ${problems.join(', ')}`];
  });
}
