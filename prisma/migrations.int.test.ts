// Goal: the checked-in migrations build a fresh database exactly as prisma/schema.prisma describes, once and only once.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { config } from '../server/config';
import {
  connectedDatabaseTarget,
  diffWithWasmSchemaEngine,
  dropDatabase,
  loadMigrationsList,
  migrate,
  migrationsDirectory,
  readSchemaFiles,
  scratchDatabaseUrl,
  withWasmSchemaEngine,
} from '../scripts/migrate';

// A database that does not exist yet: migrate() has to create it, as it would on a new machine.
const databaseUrl = scratchDatabaseUrl(config.DATABASE_URL, 'migrations_test');

afterAll(() => dropDatabase(databaseUrl));

describe('prisma/migrations', () => {
  it('apply to an empty database, and a second run applies nothing', async () => {
    const migrationNames = (await loadMigrationsList()).migrationDirectories.map((directory) => directory.path);
    expect(migrationNames.length).toBeGreaterThan(0);

    const first = await migrate({ databaseUrl });
    expect(first.appliedMigrationNames).toEqual(migrationNames);
    const rowsAfterFirstRun = await readMigrationRows();
    // The same rows `prisma migrate deploy` writes, checksums included, so the CLI accepts this history later.
    expect(rowsAfterFirstRun).toEqual(await Promise.all(migrationNames.map(expectedMigrationRow)));

    const second = await migrate({ databaseUrl });
    expect(second.appliedMigrationNames).toEqual([]);
    expect(await readMigrationRows()).toEqual(rowsAfterFirstRun);
  });

  it('leave no drift: the migrated database is what prisma/schema.prisma describes', async () => {
    await migrate({ databaseUrl });
    const { changed, output } = await withWasmSchemaEngine(databaseUrl, async (engine) =>
      diffWithWasmSchemaEngine(engine, {
        from: await connectedDatabaseTarget(),
        to: { tag: 'schemaDatamodel', ...(await readSchemaFiles()) },
        script: false,
      }),
    );
    // On failure the output names what differs; `npm run db:diff -- <name>` writes the missing migration.
    expect(output.trim()).toBe('No difference detected.');
    expect(changed).toBe(false);
  });

  it('refuses a database URL that names no database', async () => {
    await expect(migrate({ databaseUrl: 'postgresql://postgres@127.0.0.1:5432/' })).rejects.toThrow(
      /names no database/,
    );
  });
});

type MigrationRow = { migrationName: string; checksum: string; finished: boolean; rolledBack: boolean; steps: number };

async function readMigrationRows(): Promise<MigrationRow[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<MigrationRow>(
      `SELECT migration_name AS "migrationName", checksum, finished_at IS NOT NULL AS finished,
              rolled_back_at IS NOT NULL AS "rolledBack", applied_steps_count AS steps
         FROM _prisma_migrations ORDER BY migration_name`,
    );
    return result.rows;
  } finally {
    await client.end();
  }
}

async function expectedMigrationRow(migrationName: string): Promise<MigrationRow> {
  const script = await readFile(path.join(migrationsDirectory, migrationName, 'migration.sql'));
  const checksum = createHash('sha256').update(script).digest('hex');
  return { migrationName, checksum, finished: true, rolledBack: false, steps: 1 };
}
