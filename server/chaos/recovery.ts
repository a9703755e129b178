// Time to recover after each fault of the chaos run, from the times it recorded. A fault is recovered once
// every purchase acknowledged before it began has been decided: the backlog the fault caught is through.
// Pure: the run records when each purchase was acknowledged and when its decision was first seen in
// Postgres (polled, so the figures carry the poll's period as their resolution).

export type AcknowledgementTimes = { acknowledgedAtMs: number; decidedSeenAtMs: number | undefined };
// windowEndMs: when the next fault began (or the run ended); purchases acknowledged in between are this fault's.
export type FaultTimes = { label: string; startedAtMs: number; returnedAtMs: number | undefined; windowEndMs: number };

export type Recovery = {
  label: string;
  // Acknowledged before the fault began and not yet decided then: what the fault caught in flight.
  backlog: number;
  // From the fault's start, and from the service's return (a new worker, the broker or PostgreSQL up again),
  // until that backlog was decided; undefined when some of it never was.
  recoveredAfterMs: number | undefined;
  recoveredAfterReturnMs: number | undefined;
  // Until the service returned (the supervisor's or the cluster's restart, a broker or PostgreSQL start).
  returnedAfterMs: number | undefined;
  undecided: number;
  // The longest wait from acknowledgement to decision among purchases acknowledged from the fault's start until
  // the next fault: what a buyer felt (a killed worker's partitions wait for the group to move them).
  longestWaitMs: number | undefined;
};

export function recoveryAfter(fault: FaultTimes, acknowledgements: readonly AcknowledgementTimes[]): Recovery {
  const caught = acknowledgements.filter(
    (times) => times.acknowledgedAtMs <= fault.startedAtMs && (times.decidedSeenAtMs === undefined || times.decidedSeenAtMs > fault.startedAtMs),
  );
  const undecided = caught.filter((times) => times.decidedSeenAtMs === undefined).length;
  const lastDecidedAtMs = Math.max(fault.startedAtMs, ...caught.map((times) => times.decidedSeenAtMs ?? Number.NaN).filter(Number.isFinite));
  const recoveredAfterMs = undecided > 0 ? undefined : lastDecidedAtMs - fault.startedAtMs;
  const returned = fault.returnedAtMs;
  return {
    label: fault.label,
    backlog: caught.length,
    recoveredAfterMs,
    recoveredAfterReturnMs: recoveredAfterMs === undefined || returned === undefined ? undefined : Math.max(0, lastDecidedAtMs - returned),
    returnedAfterMs: returned === undefined ? undefined : returned - fault.startedAtMs,
    undecided,
    longestWaitMs: longestWait(fault, acknowledgements),
  };
}

function longestWait(fault: FaultTimes, acknowledgements: readonly AcknowledgementTimes[]): number | undefined {
  const waits = acknowledgements
    .filter((times) => times.acknowledgedAtMs >= fault.startedAtMs && times.acknowledgedAtMs < fault.windowEndMs && times.decidedSeenAtMs !== undefined)
    .map((times) => (times.decidedSeenAtMs ?? 0) - times.acknowledgedAtMs);
  return waits.length === 0 ? undefined : Math.max(...waits);
}
