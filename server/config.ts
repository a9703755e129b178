// The only reader of process.env. Parsed once with zod at start-up; a bad value stops the
// process with a message naming the variable, instead of failing later somewhere far away.
import { z } from 'zod';
import { limits } from './limits';

// The documented demo values of the secrets: development and the test suite run on them, production refuses
// them (see demoSecretProblems below). Named so that nobody mistakes them for real ones.
export const demoSecrets = {
  SELLER_TOKEN: 'dev-seller-token',
  SELLER_PASSWORD: 'seller',
  SESSION_SECRET: 'dev-session-secret-for-local-demos-only',
} as const;
type SecretName = keyof typeof demoSecrets;
const secretNames = Object.keys(demoSecrets) as SecretName[];

const positiveInteger = z.coerce.number().int().positive();

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .default('postgresql://postgres@127.0.0.1:5432/bps'),
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port[,host:port...]')).min(1)),
  KAFKA_CLIENT_ID: z.string().min(1).default('book-purchase-streams'),
  // The deciding workers' consumer group. Workers writing to different databases (a development system and
  // the tests, say) must not share a group, or they would split the partitions between them.
  KAFKA_WORKER_GROUP_ID: z.string().min(1).default('bps-worker'),
  // Put in front of the three topic names, so that environments sharing a broker stay apart: empty for the
  // development stack (the original names), `test.` for npm test, `bench.` for the benchmark.
  KAFKA_TOPIC_NAMESPACE: z
    .string()
    .max(40)
    .regex(/^([a-z0-9]+[._-])?$/, 'must be empty or letters and digits followed by one of . _ -')
    .default(''),
  // Both input topics get this count so that an item's restocks and purchases share a partition number.
  KAFKA_TOPIC_PARTITIONS: positiveInteger.max(1000).default(3),
  KAFKA_TOPIC_REPLICATION_FACTOR: positiveInteger.max(10).default(1),
  // -1 keeps events forever: the auditor and read-model rebuilds replay from the beginning.
  KAFKA_TOPIC_RETENTION_MS: z.coerce.number().int().min(-1).default(-1),
  // The seller API's bearer token. The default is a documented demo value, refused in production.
  SELLER_TOKEN: z.string().min(8, 'must be at least 8 characters').default(demoSecrets.SELLER_TOKEN),
  // The seller dashboard's sign-in password. A documented demo default, refused in production.
  SELLER_PASSWORD: z.string().min(4, 'must be at least 4 characters').default(demoSecrets.SELLER_PASSWORD),
  // The key of the session cookies' digests (server/auth/session.ts). Its own secret, not derived from the two
  // above: knowing the token or the password must not let anyone compute a session.
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').default(demoSecrets.SESSION_SECRET),
  // Production refuses the demo secrets unless this says so: the test suite, the benchmark and the chaos test run
  // production builds on purpose with them (scripts/test.sh, bench.sh, chaos.sh set it).
  BPS_ALLOW_DEMO_SECRETS: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  // Where browsers reach the app, e.g. https://shop.example.com. Its origin is the only one allowed to send
  // cookie-authenticated writes (CSRF); https makes the session cookie Secure with the __Host- prefix. Unset:
  // the request's own Host is the origin, and the cookie is not Secure (plain http on a development machine).
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .transform((value) => new URL(value).origin)
    .optional(),
  // Serves the benchmark's row-lock baseline at /api/baseline/purchases (npm run bench turns it on).
  BASELINE_ENABLED: z.enum(['true', 'false']).default('false').transform((value) => value === 'true'),
  // Per-client bounds (server/limits.ts has the defaults and says what each counts).
  CLIENT_WAITERS_MAX: positiveInteger.default(limits.clientWaitersMax),
  CLIENT_SOCKETS_MAX: positiveInteger.default(limits.clientSocketsMax),
  FEED_RESUMES_PER_MINUTE_MAX: positiveInteger.default(limits.feedResumesPerMinuteMax),
  // The shop's one currency (ISO 4217): every price is an integer in its minor unit (cents for EUR).
  SHOP_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
    .refine((code) => Intl.supportedValuesOf('currency').includes(code), 'is not a currency this Node.js knows')
    .default('EUR'),
  // Holds: the default length of a hold whose request names no ttlSeconds (the e2e tests shorten it), and the
  // per-address bounds against scalping (the benchmark raises them: its load comes from one address).
  HOLD_TTL_SECONDS: positiveInteger.min(limits.holdTtlSecondsMin).max(limits.holdTtlSecondsMax).default(limits.holdTtlSecondsDefault),
  HOLDS_PER_CLIENT_MAX: positiveInteger.default(limits.holdsPerClientMax),
  HELD_UNITS_PER_CLIENT_MAX: positiveInteger.default(limits.heldUnitsPerClientMax),
  HTTP_REQUEST_TIMEOUT_MS: positiveInteger.default(limits.httpRequestTimeoutMs),
  HTTP_HEADERS_TIMEOUT_MS: positiveInteger.default(limits.httpHeadersTimeoutMs),
  // Web processes sharing the port (node:cluster); 1 runs the web server in this process.
  WEB_CONCURRENCY: positiveInteger.max(64).default(1),
  // ── metrics (Prometheus text at /metrics) ──
  // Unset: /metrics answers loopback clients only. Set: it answers whoever sends Authorization: Bearer <token>,
  // loopback included, and nobody else. Empty counts as unset.
  METRICS_TOKEN: z
    .string()
    .optional()
    .transform((value) => value || undefined)
    .pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  // The worker's own /metrics listener (it has no web server); 0 turns it off. Every worker on one machine
  // needs a port of its own.
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9400),
  WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  // Set by scripts/supervise.sh: how often it has restarted this process (exported as bps_process_restarts).
  BPS_RESTART_COUNT: z.coerce.number().int().min(0).default(0),
  // ── benchmark: the row-lock baseline ──
  // Connections of the baseline's own pg pool. A hot row is fastest with few connections (more only queue on
  // its lock); the benchmark sweeps this and compares with the best.
  BASELINE_POOL_SIZE: positiveInteger.max(limits.baselinePoolSizeMax).default(2),
  // The process's name in its logs (a `process` field), as the application_name of its plain pg sessions
  // (pg_stat_activity) and, for a worker, in its Kafka client id and its partition_owners.owner, so that the
  // workers of one machine can be told apart. npm run up names its processes
  // web, auditor and worker-1 … worker-N (WORKER_COUNT); unset, logs carry no name and a worker calls itself worker.
  BPS_PROCESS_NAME: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'must be 1 to 40 letters, digits, dots, dashes or underscores')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema>;

export const configVariableNames = Object.keys(schema.shape);

export function parseConfig(environment: Record<string, string | undefined>): Config {
  const result = schema.safeParse(environment);
  const problems = result.success
    ? demoSecretProblems(result.data, environment)
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  if (result.success && problems.length === 0) return result.data;
  throw new ConfigError(`Invalid environment: ${problems.join('; ')}`);
}

// Production must not run on secrets anybody can read in the README: each one must be set, differ from its demo
// value, and the session key must be a secret of its own. `next build` runs with NODE_ENV=production too but
// holds no secret (every page is rendered per request), so a build needs none.
function demoSecretProblems(parsed: Config, environment: Record<string, string | undefined>): string[] {
  if (parsed.NODE_ENV !== 'production' || parsed.BPS_ALLOW_DEMO_SECRETS) return [];
  if (environment.NEXT_PHASE === 'phase-production-build') return [];
  const problems = secretNames.flatMap((name) => {
    if (environment[name] === undefined) return [`${name}: must be set in production (BPS_ALLOW_DEMO_SECRETS=true allows the demo value)`];
    if (parsed[name] === demoSecrets[name]) return [`${name}: is the demo value, refused in production (BPS_ALLOW_DEMO_SECRETS=true allows it)`];
    return [];
  });
  if (parsed.SESSION_SECRET === parsed.SELLER_TOKEN || parsed.SESSION_SECRET === parsed.SELLER_PASSWORD) {
    problems.push('SESSION_SECRET: must differ from SELLER_TOKEN and SELLER_PASSWORD');
  }
  return problems;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function loadConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Start-up cannot go on with a wrong setting; say which variable and stop.
    console.error(error.message);
    process.exit(78);
  }
}

export const config: Config = loadConfig();
