// Goal: docker-compose.yml and the Dockerfile cannot drift from the app (config variables, npm scripts) unnoticed, since no Docker engine runs here.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { configVariableNames, demoSecrets, parseConfig } from './server/config';

const repositoryRoot = fileURLToPath(new URL('.', import.meta.url));

// Only the parts of the Compose format this file relies on; environment and depends_on in their map forms.
const serviceSchema = z.object({
  image: z.string().optional(),
  build: z.object({ context: z.string(), dockerfile: z.string() }).optional(),
  command: z.union([z.string(), z.array(z.string())]).optional(),
  environment: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  ports: z.array(z.string()).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  healthcheck: z.object({ test: z.union([z.string(), z.array(z.string())]) }).optional(),
});
const composeSchema = z.object({ services: z.record(z.string(), serviceSchema) });
type Service = z.infer<typeof serviceSchema>;

// Compose honours YAML merge keys (`<<: *anchor`); the yaml package needs to be told to.
const composeText = readFileSync(resolve(repositoryRoot, 'docker-compose.yml'), 'utf8');
const compose = composeSchema.parse(parse(composeText, { merge: true }));
const packageScripts = z
  .object({ scripts: z.record(z.string(), z.string()).default({}) })
  .parse(JSON.parse(readFileSync(resolve(repositoryRoot, 'package.json'), 'utf8'))).scripts;

const appServiceNames = ['migrate', 'web', 'worker', 'auditor'] as const;

const variablesNotYetInConfig = new Set<string>();

function service(name: string): Service {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

function environmentOf(name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(service(name).environment ?? {}).map(([key, value]) => [key, String(value)]));
}

// What Compose makes of ${NAME:?message} and ${NAME:-default}: the secrets as an operator would set them, and defaults.
function withSecrets(environment: Record<string, string>): Record<string, string> {
  const secrets: Record<string, string> = { SELLER_TOKEN: 'token-'.padEnd(40, 't'), SELLER_PASSWORD: 'an operator password', SESSION_SECRET: 's'.repeat(48) };
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [
      key,
      value.replace(/\$\{(\w+)(?::\?[^}]*|:-([^}]*))\}/g, (_whole, name: string, fallback: string | undefined) => secrets[name] ?? fallback ?? ''),
    ]),
  );
}

function commandOf(name: string): string {
  const command = service(name).command;
  return Array.isArray(command) ? command.join(' ') : (command ?? '');
}

// What a start script runs, without its leading VAR=value assignments: `node … dist/web.mjs`.
function commandOfScript(script: string): string {
  return (packageScripts[script] ?? '').split(/\s+/).filter((_word, index, words) => !words.slice(0, index + 1).every((earlier) => /^[A-Z_]+=/.test(earlier))).join(' ');
}

function npmScriptsRunBy(text: string): string[] {
  const shellForm = [...text.matchAll(/npm run ([\w:.-]+)/g)].map((match) => match[1]);
  const execForm = [...text.matchAll(/"npm",\s*"run",\s*"([\w:.-]+)"/g)].map((match) => match[1]);
  return [...shellForm, ...execForm].filter((script): script is string => script !== undefined);
}

describe('docker-compose.yml', () => {
  it('defines the broker, the database, the one-shot migration and both app processes', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['kafka', 'postgres', ...appServiceNames]));
  });

  it('runs Kafka 4.1 as a single KRaft node whose internal topics need no other replicas', () => {
    expect(service('kafka').image).toMatch(/^apache\/kafka:4\.1\.\d+$/);
    const environment = environmentOf('kafka');
    expect(environment.KAFKA_PROCESS_ROLES?.split(',').sort()).toEqual(['broker', 'controller']);
    expect(environment).toMatchObject({
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_LOG_RETENTION_HOURS: '-1',
    });
    expect(environment.KAFKA_ADVERTISED_LISTENERS).toContain('PLAINTEXT://kafka:9092');
  });

  it('gives web, worker, auditor and migrate the same environment, with the database and the brokers', () => {
    const webEnvironment = environmentOf('web');
    expect(environmentOf('worker')).toEqual(webEnvironment);
    expect(environmentOf('auditor')).toEqual(webEnvironment);
    expect(environmentOf('migrate')).toEqual(webEnvironment);
    expect(webEnvironment).toHaveProperty('DATABASE_URL');
    expect(webEnvironment).toHaveProperty('KAFKA_BROKERS', 'kafka:9092');
  });

  it('passes the app only variables that server/config.ts knows', () => {
    const known = new Set(configVariableNames);
    const unknown = Object.keys(environmentOf('web')).filter(
      (name) => !known.has(name) && !variablesNotYetInConfig.has(name),
    );
    expect(unknown).toEqual([]);
  });

  it('requires every secret from the environment, with no default', () => {
    const environment = environmentOf('web');
    for (const name of Object.keys(demoSecrets)) expect(environment[name]).toMatch(new RegExp(`^\\$\\{${name}:\\?[^}]+\\}$`));
  });

  it("passes the app values that its own config schema accepts, given the secrets", () => {
    const config = parseConfig(withSecrets(environmentOf('web')));
    expect(config.KAFKA_BROKERS).toEqual(['kafka:9092']);
    // The two input topics are spread over at least three partitions so that work is shared.
    expect(config.KAFKA_TOPIC_PARTITIONS).toBeGreaterThanOrEqual(3);
  });

  it('publishes the web port and checks the health route', () => {
    expect(service('web').ports).toContain('3000:3000');
    expect(JSON.stringify(service('web').healthcheck?.test)).toContain(':3000/api/health');
  });

  it('starts web, worker and auditor only after the migration step has succeeded', () => {
    for (const name of ['web', 'worker', 'auditor']) {
      expect(service(name).depends_on?.migrate?.condition).toBe('service_completed_successfully');
    }
    expect(service('migrate').depends_on).toEqual({
      kafka: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
    });
  });

  it('builds every app service from the Dockerfile at the repository root', () => {
    for (const name of appServiceNames) {
      const build = service(name).build;
      expect(build, `${name} has no build section`).toBeDefined();
      expect(resolve(repositoryRoot, build?.context ?? '', build?.dockerfile ?? '')).toBe(
        resolve(repositoryRoot, 'Dockerfile'),
      );
    }
    expect(existsSync(resolve(repositoryRoot, 'Dockerfile'))).toBe(true);
  });

  it('runs the expected npm scripts, and package.json defines them', () => {
    // The long-running processes run plain node on the compiled entries, exactly as their start scripts do.
    for (const name of ['web', 'worker', 'auditor']) {
      expect(commandOf(name)).toMatch(/^node .*dist\/\w+\.mjs$/);
      expect(commandOf(name)).toBe(commandOfScript(`start:${name}`));
    }
    expect(npmScriptsRunBy(commandOf('migrate'))).toEqual(['db:migrate', 'topics']);
    const used = appServiceNames.flatMap((name) => npmScriptsRunBy(commandOf(name)));
    expect(used.filter((script) => packageScripts[script] === undefined)).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(resolve(repositoryRoot, 'Dockerfile'), 'utf8');

  it('builds on Node 20 and runs the web server by default as the unprivileged node user', () => {
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim AS /m);
    expect(dockerfile).toMatch(/^USER node$/m);
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect((JSON.parse(cmd ?? '[]') as string[]).join(' ')).toBe(commandOfScript('start:web'));
  });

  it('runs only npm scripts that package.json defines', () => {
    const used = npmScriptsRunBy(dockerfile);
    expect(used).toEqual(expect.arrayContaining(['db:generate', 'build']));
    expect(used.filter((script) => packageScripts[script] === undefined)).toEqual([]);
  });
});
