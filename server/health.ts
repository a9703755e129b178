// Health of the web process's two dependencies, reported separately so that a 503 names the failing part.
import type { DependencyHealth, DependencyName, HealthReport } from './contract';
import { limits } from './limits';

export type HealthProbe = () => Promise<unknown>;

class ProbeTimeoutError extends Error {}

async function probe(check: HealthProbe, timeoutMs: number): Promise<DependencyHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

// A probe against a dead broker can take longer than the timeout; concurrent health requests share the
// one in flight instead of piling up new connection attempts.
function shared(check: HealthProbe): HealthProbe {
  let inFlight: Promise<unknown> | undefined;
  return () => {
    inFlight ??= check().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

export function createHealthCheck(probes: Record<DependencyName, HealthProbe>, timeoutMs = limits.healthCheckTimeoutMs) {
  const kafka = shared(probes.kafka);
  const database = shared(probes.database);
  return async (): Promise<HealthReport> => {
    const [kafkaHealth, databaseHealth] = await Promise.all([probe(kafka, timeoutMs), probe(database, timeoutMs)]);
    const failing: DependencyName[] = [];
    if (kafkaHealth.status === 'down') failing.push('kafka');
    if (databaseHealth.status === 'down') failing.push('database');
    return { status: failing.length === 0 ? 'up' : 'down', kafka: kafkaHealth, database: databaseHealth, failing };
  };
}
