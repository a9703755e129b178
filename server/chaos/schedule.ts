// The chaos run's faults, planned from a seed before the load starts: which fault, against what, and when
// (milliseconds after the load began). Pure: the same seed and plan give the same schedule, so a printed
// seed replays the choices (the machine's timing still varies, so not necessarily the interleaving).

export type Fault =
  | { kind: 'worker-kill'; atMs: number; worker: number }
  | { kind: 'web-kill'; atMs: number }
  | { kind: 'broker-restart'; atMs: number; outageMs: number }
  | { kind: 'postgres-restart'; atMs: number };
export type FaultKind = Fault['kind'];

export type FaultPlan = {
  workerKills: number;
  webKills: number;
  brokerRestarts: number;
  postgresRestarts: number;
  // Workers the kills alternate between.
  workers: number;
  // How long the broker stays stopped.
  brokerOutageMs: number;
  // Time a broker start is expected to take on top of its outage: the next fault is planned after it.
  brokerStartAllowanceMs: number;
};

export type FaultWindow = {
  // The load's planned length; every fault starts inside it.
  loadMs: number;
  // No fault in the first leadMs (the load is warming up) nor in the last tailMs.
  leadMs: number;
  tailMs: number;
  // Between the end of one fault and the start of the next, so that each recovery can be seen on its own.
  gapMsMin: number;
};

export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

// How long a fault keeps the system busy before the next may start (its own length and the gap).
export function busyMs(kind: FaultKind, plan: FaultPlan, window: FaultWindow): number {
  switch (kind) {
    case 'broker-restart':
      return plan.brokerOutageMs + plan.brokerStartAllowanceMs + window.gapMsMin;
    case 'worker-kill':
    case 'web-kill':
    case 'postgres-restart':
      return window.gapMsMin;
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown fault ${String(unreachable)}`);
    }
  }
}

// Kinds in a random order, then random start times: the slack left after every fault's busy time is cut
// at sorted random points, so faults are spread uniformly yet never closer than their busy time.
export function scheduleFaults(plan: FaultPlan, window: FaultWindow, random: () => number): Fault[] {
  checkPlan(plan, window);
  const kinds = shuffle(
    [
      ...repeat('worker-kill' as const, plan.workerKills),
      ...repeat('web-kill' as const, plan.webKills),
      ...repeat('broker-restart' as const, plan.brokerRestarts),
      ...repeat('postgres-restart' as const, plan.postgresRestarts),
    ],
    random,
  );
  const busy = kinds.map((kind) => busyMs(kind, plan, window));
  // The last fault needs only to start inside the window, not to finish there.
  const slackMs = window.loadMs - window.leadMs - window.tailMs - busy.slice(0, -1).reduce((sum, value) => sum + value, 0);
  if (slackMs < 0) {
    throw new ScheduleError(`the faults need ${-slackMs} ms more than the load's ${window.loadMs} ms: lengthen the load (more purchases or a lower rate) or plan fewer faults`);
  }
  const cuts = kinds.map(() => Math.floor(random() * slackMs)).sort((a, b) => a - b);
  const firstWorker = Math.floor(random() * plan.workers);
  let workerKills = 0;
  let busyBefore = 0;
  return kinds.map((kind, index) => {
    const atMs = window.leadMs + (cuts[index] ?? 0) + busyBefore;
    busyBefore += busy[index] ?? 0;
    switch (kind) {
      case 'worker-kill':
        return { kind, atMs, worker: (firstWorker + workerKills++) % plan.workers };
      case 'broker-restart':
        return { kind, atMs, outageMs: plan.brokerOutageMs };
      case 'web-kill':
      case 'postgres-restart':
        return { kind, atMs };
      default: {
        const unreachable: never = kind;
        throw new Error(`unknown fault ${String(unreachable)}`);
      }
    }
  });
}

function checkPlan(plan: FaultPlan, window: FaultWindow): void {
  const counts = [plan.workerKills, plan.webKills, plan.brokerRestarts, plan.postgresRestarts, plan.brokerOutageMs, plan.brokerStartAllowanceMs];
  const times = [window.loadMs, window.leadMs, window.tailMs, window.gapMsMin];
  if (![...counts, ...times].every((value) => Number.isInteger(value) && value >= 0)) throw new ScheduleError('counts and times must be whole numbers ≥ 0');
  if (!Number.isInteger(plan.workers) || plan.workers < 1) throw new ScheduleError('at least one worker is needed');
}

const repeat = <T>(value: T, count: number): T[] => Array.from({ length: count }, () => value);

// Fisher–Yates with the given random source.
function shuffle<T>(values: readonly T[], random: () => number): T[] {
  const shuffled = [...values];
  for (let index = shuffled.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [shuffled[index], shuffled[other]] = [shuffled[other] as T, shuffled[index] as T];
  }
  return shuffled;
}

export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'worker-kill':
      return `kill -9 worker ${fault.worker}`;
    case 'web-kill':
      return 'kill -9 a web process';
    case 'broker-restart':
      return `broker stop, ${Math.round(fault.outageMs / 1000)} s down, start`;
    case 'postgres-restart':
      return 'PostgreSQL restart (fast)';
    default: {
      const unreachable: never = fault;
      throw new Error(`unknown fault ${JSON.stringify(unreachable)}`);
    }
  }
}
