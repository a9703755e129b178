// Goal: the config module accepts good environments, applies defaults, and names the variable of a bad value.
import { describe, expect, it } from 'vitest';
import { ConfigError, demoSecrets, parseConfig } from './config';

describe('parseConfig', () => {
  it('applies defaults for an empty environment', () => {
    const config = parseConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.DATABASE_URL).toBe('postgresql://postgres@127.0.0.1:5432/bps');
    expect(config.KAFKA_TOPIC_PARTITIONS).toBeGreaterThanOrEqual(3);
    expect(config.KAFKA_TOPIC_RETENTION_MS).toBe(-1);
  });

  it('leaves metrics to loopback clients and the worker on 127.0.0.1:9400 by default; an empty token is no token', () => {
    const config = parseConfig({});
    expect(config.METRICS_TOKEN).toBeUndefined();
    expect(config.WORKER_METRICS_PORT).toBe(9400);
    expect(config.WORKER_METRICS_HOST).toBe('127.0.0.1');
    expect(config.BPS_RESTART_COUNT).toBe(0);
    expect(parseConfig({ METRICS_TOKEN: '' }).METRICS_TOKEN).toBeUndefined();
    expect(parseConfig({ METRICS_TOKEN: 'sixteen-chars-ok' }).METRICS_TOKEN).toBe('sixteen-chars-ok');
    expect(parseConfig({ WORKER_METRICS_PORT: '0' }).WORKER_METRICS_PORT).toBe(0);
  });

  it('splits a broker list and trims it', () => {
    expect(parseConfig({ KAFKA_BROKERS: 'a:9092, b:9093' }).KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x/y'],
    ['KAFKA_BROKERS', 'no-port'],
    ['KAFKA_BROKERS', ' , '],
    ['KAFKA_TOPIC_PARTITIONS', '0'],
    ['KAFKA_TOPIC_PARTITIONS', '2.5'],
    ['KAFKA_TOPIC_RETENTION_MS', '-2'],
    ['LOG_LEVEL', 'loud'],
    ['NODE_ENV', 'staging'],
    ['METRICS_TOKEN', 'too-short'],
    ['WORKER_METRICS_PORT', '70000'],
    ['WORKER_METRICS_PORT', '-1'],
    ['BPS_RESTART_COUNT', '-1'],
  ])('rejects %s=%j with a message naming the variable', (name, value) => {
    expect(() => parseConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => parseConfig({ [name]: value })).toThrow(new RegExp(`\\b${name}\\b`));
  });
});

describe('secrets in production', () => {
  const ownSecrets = { SELLER_TOKEN: 'a-real-token-1234', SELLER_PASSWORD: 'a real password', SESSION_SECRET: 'x'.repeat(48) };

  it.each(Object.keys(demoSecrets))('refuses %s when it is missing or the demo value, naming it', (name) => {
    const missing: Record<string, string> = { NODE_ENV: 'production', ...ownSecrets };
    delete missing[name];
    expect(() => parseConfig(missing)).toThrow(new RegExp(`\\b${name}: must be set in production`));
    const demo = { NODE_ENV: 'production', ...ownSecrets, [name]: demoSecrets[name as keyof typeof demoSecrets] };
    expect(() => parseConfig(demo)).toThrow(new RegExp(`\\b${name}: is the demo value`));
  });

  it('refuses a session secret equal to the token', () => {
    expect(() => parseConfig({ NODE_ENV: 'production', ...ownSecrets, SESSION_SECRET: 'y'.repeat(40), SELLER_TOKEN: 'y'.repeat(40) })).toThrow(/SESSION_SECRET: must differ/);
  });

  it('accepts own secrets, and the demo ones only with BPS_ALLOW_DEMO_SECRETS=true or outside production', () => {
    expect(parseConfig({ NODE_ENV: 'production', ...ownSecrets }).SELLER_TOKEN).toBe(ownSecrets.SELLER_TOKEN);
    expect(parseConfig({ NODE_ENV: 'production', BPS_ALLOW_DEMO_SECRETS: 'true' }).SELLER_TOKEN).toBe(demoSecrets.SELLER_TOKEN);
    expect(() => parseConfig({ NODE_ENV: 'production', BPS_ALLOW_DEMO_SECRETS: 'false' })).toThrow(ConfigError);
    expect(parseConfig({ NODE_ENV: 'development' }).SESSION_SECRET).toBe(demoSecrets.SESSION_SECRET);
  });

  it('reads PUBLIC_URL as an origin and refuses anything but http(s)', () => {
    expect(parseConfig({ PUBLIC_URL: 'https://shop.example.com/some/path' }).PUBLIC_URL).toBe('https://shop.example.com');
    expect(parseConfig({}).PUBLIC_URL).toBeUndefined();
    expect(() => parseConfig({ PUBLIC_URL: 'ftp://shop.example.com' })).toThrow(/PUBLIC_URL/);
    expect(() => parseConfig({ PUBLIC_URL: 'not a url' })).toThrow(/PUBLIC_URL/);
  });
});

describe('a process started with a bad value', () => {
  it('stops with exit code 78 and a message naming the variable', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync('node_modules/.bin/tsx', ['server/config.ts'], {
      env: { ...process.env, KAFKA_TOPIC_PARTITIONS: 'many' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('KAFKA_TOPIC_PARTITIONS');
    // tsx compiling on a busy machine can take several seconds; the child's own bound is the 30 s above.
  }, 35_000);
});
