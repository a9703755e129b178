// Applies prisma/migrations to the database named in DATABASE_URL, creating that database first if it is missing.
// With a schema-engine binary at hand this is `prisma migrate deploy`. Without one (the CLI cannot download it on a
// closed network) the same migrations run through Prisma's own wasm schema engine, which records them in
// _prisma_migrations exactly as the CLI does, so both paths can take turns on one database.
// Known limit of the wasm path: adapter-pg 7.10.0 runs a migration script by splitting it at every ";" and sending
// the pieces one by one, so a ";" inside a string literal or a $$-quoted body breaks that migration, and a failing
// migration is not rolled back as a whole. Plain DDL, which is what db:diff writes, is unaffected.
// Also home to the wasm engine set-up and the database helpers that db-diff.ts and the migration tests share.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { constants as fileConstants } from 'node:fs';
import { access, copyFile, mkdir, readFile, readdir, rename, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlQueryable,
  type SqlResultSet,
} from '@prisma/driver-adapter-utils';
import type * as PrismaMigrate from '@prisma/migrate/dist/src/index';
import type * as PrismaMigrateCaptureStdout from '@prisma/migrate/dist/src/utils/captureStdout';
import type * as PrismaMigrateListMigrations from '@prisma/migrate/dist/src/utils/listMigrations';
import pg from 'pg';
import { config } from '../server/config';
import { limits } from '../server/limits';

// @prisma/migrate's package.json points "types" at dist/migrate/src/index.d.ts, which the package does not ship;
// its declarations live in dist/src. So the code is loaded with require and typed from there.
const require = createRequire(import.meta.url);
const { SchemaEngineWasm } = require('@prisma/migrate') as typeof PrismaMigrate;
const { listMigrations } = require('@prisma/migrate/dist/utils/listMigrations.js') as typeof PrismaMigrateListMigrations;
const { CaptureStdout } = require('@prisma/migrate/dist/utils/captureStdout.js') as typeof PrismaMigrateCaptureStdout;

export type SchemaEngine = PrismaMigrate.SchemaEngineWasm;
export type MigrationsList = Awaited<ReturnType<typeof listMigrations>>;
type DiffInput = Parameters<SchemaEngine['migrateDiff']>[0];
export type DiffTarget = DiffInput['from'];

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemaPath = path.join(repositoryRoot, 'prisma', 'schema.prisma');
export const migrationsDirectory = path.join(repositoryRoot, 'prisma', 'migrations');
// As in prisma.config.ts, which declares no tables.external or enums.external: Prisma manages every table and enum.
const noExternalEntities = { externalTables: [], externalEnums: [] };
// PostgreSQL silently truncates longer identifiers, which would create a database other than the one named.
const databaseNameBytesMax = 63;
const duplicateDatabaseCode = '42P04';

export class MigrateError extends Error {
  override name = 'MigrateError';
}

export type MigrateResult = {
  appliedMigrationNames: string[];
  engine: 'schema-engine binary' | 'wasm schema engine';
};

export async function migrate({ databaseUrl }: { databaseUrl: string }): Promise<MigrateResult> {
  await ensureDatabaseExists(databaseUrl);
  if (await findSchemaEngineBinary()) {
    return { appliedMigrationNames: await deployWithPrismaCli(databaseUrl), engine: 'schema-engine binary' };
  }
  const migrationsList = await loadMigrationsList();
  const { appliedMigrationNames } = await withWasmSchemaEngine(databaseUrl, (engine) =>
    engine.applyMigrations({ migrationsList, filters: noExternalEntities }),
  );
  return { appliedMigrationNames, engine: 'wasm schema engine' };
}

export function loadMigrationsList(): Promise<MigrationsList> {
  return listMigrations(migrationsDirectory, '');
}

// A binary the CLI would use without downloading anything: the one PRISMA_SCHEMA_ENGINE_BINARY names (the CLI's own
// variable, hence read here and not in server/config.ts), or one installed in @prisma/engines. Anything else would make
// the CLI try a download, which on a closed network only fails after a while, so the wasm engine is used instead.
async function findSchemaEngineBinary(): Promise<string | undefined> {
  const candidates: string[] = [];
  const fromEnvironment = process.env['PRISMA_SCHEMA_ENGINE_BINARY'];
  if (fromEnvironment) candidates.push(path.resolve(fromEnvironment));
  const requireFromPrisma = createRequire(require.resolve('prisma/package.json'));
  const enginesDirectory = path.dirname(requireFromPrisma.resolve('@prisma/engines/package.json'));
  const engineFiles = (await readdir(enginesDirectory)).filter((file) => file.startsWith('schema-engine-'));
  candidates.push(...engineFiles.map((file) => path.join(enginesDirectory, file)));
  for (const candidate of candidates) {
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    await access(file, fileConstants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function deployWithPrismaCli(databaseUrl: string): Promise<string[]> {
  const appliedBefore = await readAppliedMigrationNames(databaseUrl);
  const prismaCli = require.resolve('prisma/build/index.js');
  try {
    // prisma.config.ts reads DATABASE_URL, so this is how the CLI learns which database to migrate.
    await promisify(execFile)(process.execPath, [prismaCli, 'migrate', 'deploy'], {
      cwd: repositoryRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      timeout: limits.migrateDeployTimeoutMs,
    });
  } catch (error) {
    const output = error instanceof Error && 'stderr' in error ? `${String(error.stderr)}` : '';
    throw new MigrateError(`prisma migrate deploy failed: ${output.trim() || String(error)}`);
  }
  const appliedAfter = await readAppliedMigrationNames(databaseUrl);
  return appliedAfter.filter((name) => !appliedBefore.includes(name));
}

async function readAppliedMigrationNames(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: limits.connectTimeoutMs });
  await client.connect();
  try {
    const table = await client.query<{ exists: boolean }>(
      `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS "exists"`,
    );
    if (!table.rows[0]?.exists) return [];
    const applied = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM _prisma_migrations
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    );
    return applied.rows.map((row) => row.migration_name);
  } finally {
    await client.end();
  }
}

export async function ensureDatabaseExists(databaseUrl: string): Promise<void> {
  const databaseName = databaseNameOf(databaseUrl);
  await withMaintenanceClient(databaseUrl, async (client) => {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
    if (existing.rowCount !== 0) return;
    try {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(databaseName)}`);
    } catch (error) {
      // Another run created it between our check and our CREATE: the database exists, which is all we want.
      if (!(error instanceof pg.DatabaseError && error.code === duplicateDatabaseCode)) throw error;
    }
  });
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const databaseName = databaseNameOf(databaseUrl);
  await withMaintenanceClient(databaseUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(databaseName)} WITH (FORCE)`),
  );
}

// The URL of a database that does not exist yet, on the same server as baseUrl, for work that must not touch it.
export function scratchDatabaseUrl(baseUrl: string, purpose: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/bps_${purpose}_${randomUUID().replaceAll('-', '')}`;
  databaseNameOf(url.toString()); // Throws if purpose makes the name too long.
  return url.toString();
}

export async function withScratchDatabase<T>(
  baseUrl: string,
  purpose: string,
  work: (databaseUrl: string) => Promise<T>,
): Promise<T> {
  const databaseUrl = scratchDatabaseUrl(baseUrl, purpose);
  await ensureDatabaseExists(databaseUrl);
  try {
    return await work(databaseUrl);
  } finally {
    await dropDatabase(databaseUrl);
  }
}

function databaseNameOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const databaseName = decodeURIComponent(url.pathname.slice(1));
  if (databaseName === '') throw new MigrateError(`The database URL names no database: ${describeDatabase(url)}`);
  if (Buffer.byteLength(databaseName) > databaseNameBytesMax) {
    throw new MigrateError(`The database name is longer than ${databaseNameBytesMax} bytes: ${databaseName}`);
  }
  return databaseName;
}

// CREATE and DROP DATABASE cannot run inside the database they name; `postgres` always exists on a server.
async function withMaintenanceClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: limits.connectTimeoutMs });
  try {
    await client.connect();
  } catch (error) {
    throw new MigrateError(`Cannot connect to ${describeDatabase(url)}: ${String(error)}`);
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function describeDatabase(url: URL): string {
  return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
}

// Runs work with Prisma's wasm schema engine connected to databaseUrl through adapter-pg, and cleans up after it.
export async function withWasmSchemaEngine<T>(
  databaseUrl: string,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await provideSchemaEngineWasm();
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: limits.connectTimeoutMs,
    Client: CatalogCharAsTextClient,
  });
  try {
    const adapter = bindMigrationAwareSqlAdapterFactory(withCatalogCharColumns(new PrismaPg(pool)));
    const engine = await SchemaEngineWasm.setup({ adapter });
    try {
      return await work(engine);
    } finally {
      await engine.stop();
    }
  } finally {
    // The engine never disposes of the adapter; the pool is ours to end, or its idle clients keep the process alive.
    await pool.end();
  }
}

// migrateDiff prints its result instead of returning it; Prisma's CLI captures it the same way for `--output`.
export async function diffWithWasmSchemaEngine(
  engine: SchemaEngine,
  { from, to, script }: { from: DiffTarget; to: DiffTarget; script: boolean },
): Promise<{ changed: boolean; output: string }> {
  const capture = new CaptureStdout();
  capture.startCapture();
  let exitCode: number;
  try {
    ({ exitCode } = await engine.migrateDiff({ from, to, script, exitCode: true, filters: noExternalEntities }));
  } finally {
    capture.stopCapture();
  }
  // With exitCode requested, the engine answers 2 for a non-empty diff and 0 for an empty one.
  if (exitCode !== 0 && exitCode !== 2) throw new Error(`Unexpected migrateDiff exit code ${exitCode}`);
  return { changed: exitCode === 2, output: capture.getCapturedText().join('') };
}

export async function readSchemaFiles(): Promise<{ files: Array<{ path: string; content: string }> }> {
  return { files: [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }] };
}

// The live database the engine is connected to (with the wasm engine the adapter, not a URL, decides which).
export async function connectedDatabaseTarget(): Promise<DiffTarget> {
  return { tag: 'schemaDatasource', ...(await readSchemaFiles()), configDir: repositoryRoot };
}

// @prisma/internals loads the engine's wasm from its own build/ folder, which its npm package does not ship (the
// prisma CLI bundles its own copy). node_modules is installed fresh on every machine, so this runs on every start.
async function provideSchemaEngineWasm(): Promise<void> {
  const internalsEntry = createRequire(require.resolve('@prisma/migrate')).resolve('@prisma/internals');
  const target = path.join(path.dirname(internalsEntry), '..', 'build', 'schema_engine_bg.wasm');
  // The same copy of @prisma/schema-engine-wasm whose JavaScript glue @prisma/internals imports.
  const wasmPackageEntry = createRequire(internalsEntry).resolve('@prisma/schema-engine-wasm');
  const source = path.join(path.dirname(wasmPackageEntry), 'schema_engine_bg.wasm');
  const [sourceBytes, targetBytes] = await Promise.all([readFile(source), readFile(target).catch(() => undefined)]);
  if (targetBytes?.equals(sourceBytes)) return;
  await mkdir(path.dirname(target), { recursive: true });
  // Copy, then rename: a concurrent run never loads a half-written module.
  const temporary = `${target}.${process.pid}.${randomUUID()}.tmp`;
  await copyFile(source, temporary);
  await rename(temporary, target);
}

// adapter-pg 7.10.0 maps no column type for PostgreSQL's internal "char" type (oid 18), and the engine's schema
// describer selects such columns from pg_catalog (contype, confdeltype, ...), so every introspection fails with
// "Column type 'char' could not be deserialized from the database". pg hands these values over as one-letter
// strings anyway, so the client announces them as text, under a marked column name, and the adapter wrapper below
// gives them back to the engine as characters: the describer reads a CHECK constraint's contype strictly as a
// character (announced as text, it panics with "unreachable"). Only the migration tooling's pool uses this.
// Drop both when adapter-pg maps oid 18 itself.
type RowDescriptionMessage = { fields: Array<{ name: string; dataTypeID: number }> };
type ClientInternals = { _handleRowDescription(message: RowDescriptionMessage): void };
const postgresCharTypeId = 18;
const postgresTextTypeId = 25;
const catalogCharColumnMarker = '\u0001catalog-char:';
const handleRowDescription = pgClientHandleRowDescription();

class CatalogCharAsTextClient extends pg.Client implements ClientInternals {
  _handleRowDescription(message: RowDescriptionMessage): void {
    for (const field of message.fields) {
      if (field.dataTypeID !== postgresCharTypeId) continue;
      field.dataTypeID = postgresTextTypeId;
      field.name = `${catalogCharColumnMarker}${field.name}`;
    }
    handleRowDescription.call(this, message);
  }
}

// Every connection and transaction the engine opens hands it the marked columns as characters.
function withCatalogCharColumns(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const wrapAdapter = (adapter: SqlDriverAdapter) =>
    wrapMethods(withCatalogCharResults(adapter), {
      startTransaction: async (isolationLevel?: IsolationLevel) => withCatalogCharResults(await adapter.startTransaction(isolationLevel)),
    });
  return wrapMethods(factory, {
    connect: async () => wrapAdapter(await factory.connect()),
    connectToShadowDb: async () => wrapAdapter(await factory.connectToShadowDb()),
  });
}

function withCatalogCharResults<T extends SqlQueryable>(queryable: T): T {
  return wrapMethods(queryable, { queryRaw: async (query: SqlQuery) => restoreCatalogChars(await queryable.queryRaw(query)) });
}

function restoreCatalogChars(result: SqlResultSet): SqlResultSet {
  const columnNames = result.columnNames.map((name) => name.replace(catalogCharColumnMarker, ''));
  const columnTypes = result.columnTypes.map((type, index) =>
    result.columnNames[index]?.startsWith(catalogCharColumnMarker) ? ColumnTypeEnum.Character : type,
  );
  return { ...result, columnNames, columnTypes };
}

// The target with some methods replaced; every other property is the target's own, with methods bound to it.
function wrapMethods<T extends object>(target: T, replacements: Record<string, unknown>): T {
  return new Proxy(target, {
    get(object, property) {
      if (typeof property === 'string' && Object.hasOwn(replacements, property)) return replacements[property];
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

function pgClientHandleRowDescription(): ClientInternals['_handleRowDescription'] {
  const method = (pg.Client.prototype as unknown as Partial<ClientInternals>)._handleRowDescription;
  if (typeof method !== 'function') {
    throw new Error('pg.Client has no _handleRowDescription any more: revisit CatalogCharAsTextClient in scripts/migrate.ts');
  }
  return method;
}

async function main(): Promise<void> {
  try {
    // --reset starts from an empty database: the tests use it, because their stored consumer offsets belong
    // to the broker of the previous run, and a fresh broker's topics start again at offset 0.
    if (process.argv.includes('--reset')) await dropDatabase(config.DATABASE_URL);
    const { appliedMigrationNames, engine } = await migrate({ databaseUrl: config.DATABASE_URL });
    const count = appliedMigrationNames.length;
    console.log(
      count === 0
        ? `db:migrate: already up to date (${engine})`
        : `db:migrate: applied ${count} migration${count === 1 ? '' : 's'} (${engine}): ${appliedMigrationNames.join(', ')}`,
    );
  } catch (error) {
    console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
  // The wasm schema engine leaves a 10-second timer behind that would hold the finished process open.
  process.exit();
}
