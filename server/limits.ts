// Every bound of the system in one place, so that none hides in the code that uses it.
export const limits = {
  // How long start-up waits for Kafka or Postgres before giving up.
  connectTimeoutMs: 10_000,
  kafkaConnectionTimeoutMs: 3_000,
  kafkaRequestTimeoutMs: 10_000,
  kafkaRetries: 5,
  // /api/health must answer quickly even when a dependency hangs.
  healthCheckTimeoutMs: 2_000,
  // `prisma migrate deploy` should take seconds; past this something hangs (a lock, an unreachable server).
  migrateDeployTimeoutMs: 120_000,
  // Graceful shutdown: after this the process exits anyway.
  shutdownTimeoutMs: 10_000,
} as const;
