// Writes the next migration, prisma/migrations/<timestamp>_<name>/migration.sql, from the difference between what the
// existing migrations build and prisma/schema.prisma. Usage: npm run db:diff -- <name>
//
// Prisma's wasm schema engine renders the SQL, so the file is in Prisma's own format. Prisma's usual routes
// (`migrate dev --create-only`, `migrate diff --from-migrations`) replay the migrations in a shadow database, and
// through adapter-pg 7.10.0 that breaks: its shadow pool is built from the main connection string, whose database
// name wins over the shadow one, so the "shadow" replay runs against the main database. Instead:
// - no migrations yet: diff from empty to the schema;
// - otherwise: apply the migrations to a scratch database we create and drop, and diff from that database.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as PrismaMigrateCreateMigration from '@prisma/migrate/dist/src/utils/createMigration';
import { config } from '../server/config';
import {
  connectedDatabaseTarget,
  diffWithWasmSchemaEngine,
  loadMigrationsList,
  migrate,
  migrationsDirectory,
  readSchemaFiles,
  withScratchDatabase,
  withWasmSchemaEngine,
  type DiffTarget,
  type MigrationsList,
} from './migrate';

// Typed from dist/src for the reason given in scripts/migrate.ts.
const require = createRequire(import.meta.url);
const { createMigration, writeMigrationScript, writeMigrationLockfile } = require(
  '@prisma/migrate/dist/utils/createMigration.js',
) as typeof PrismaMigrateCreateMigration;

const migrationNamePattern = /^[a-z0-9]+(_[a-z0-9]+)*$/;
const migrationNameLengthMax = 100;

export class DbDiffError extends Error {
  override name = 'DbDiffError';
}

export async function createNextMigration({ name, now }: { name: string; now: Date }): Promise<string | undefined> {
  if (name.length > migrationNameLengthMax || !migrationNamePattern.test(name)) {
    throw new DbDiffError(
      `The migration name must be snake_case letters and digits, at most ${migrationNameLengthMax} characters: "${name}"`,
    );
  }
  const migrationsList = await loadMigrationsList();
  const migrationName = `${prismaTimestamp(now)}_${name}`;
  const lastMigrationName = migrationsList.migrationDirectories.at(-1)?.path;
  // Migrations apply in name order; a new one that sorts earlier would run before migrations it builds on.
  if (lastMigrationName !== undefined && migrationName <= lastMigrationName) {
    throw new DbDiffError(`${migrationName} would not sort after the last migration, ${lastMigrationName}`);
  }
  const script = await diffMigrationsToSchema(migrationsList);
  if (script === undefined) return undefined;
  await createMigration({ baseDir: migrationsDirectory, generatedMigrationName: migrationName });
  await writeMigrationScript({ baseDir: migrationsDirectory, migrationName, extension: 'sql', script });
  await writeMigrationLockfile({
    baseDir: migrationsDirectory,
    connectorType: 'postgresql',
    lockfile: migrationsList.lockfile,
  });
  return path.join(migrationsDirectory, migrationName, 'migration.sql');
}

// The SQL that takes a database built by the migrations to the schema, or undefined when there is nothing to do.
async function diffMigrationsToSchema(migrationsList: MigrationsList): Promise<string | undefined> {
  const hasMigrations = migrationsList.migrationDirectories.length > 0;
  return withScratchDatabase(config.DATABASE_URL, 'diff', async (scratchUrl) => {
    if (hasMigrations) await migrate({ databaseUrl: scratchUrl });
    return withWasmSchemaEngine(scratchUrl, async (engine) => {
      const from: DiffTarget = hasMigrations ? await connectedDatabaseTarget() : { tag: 'empty' };
      const to: DiffTarget = { tag: 'schemaDatamodel', ...(await readSchemaFiles()) };
      const { changed, output } = await diffWithWasmSchemaEngine(engine, { from, to, script: true });
      return changed ? output : undefined;
    });
  });
}

// Prisma names migrations after the UTC time they were created: YYYYMMDDHHMMSS.
function prismaTimestamp(now: Date): string {
  return now.toISOString().replace(/\D/g, '').slice(0, 14);
}

async function main(): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  if (name === undefined || rest.length > 0) {
    console.error('Usage: npm run db:diff -- <migration_name>');
    process.exitCode = 2;
    return;
  }
  try {
    const written = await createNextMigration({ name, now: new Date() });
    console.log(
      written === undefined
        ? 'db:diff: the migrations already match prisma/schema.prisma; nothing written'
        : `db:diff: wrote ${path.relative(process.cwd(), written)}`,
    );
  } catch (error) {
    console.error(`db:diff failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
  // The wasm schema engine leaves a 10-second timer behind that would hold the finished process open.
  process.exit();
}
