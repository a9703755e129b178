// Unit tests (pure, parallel) and integration tests (*.int.test.ts: real Kafka and Postgres, one file at a time
// because they share the broker and the database).
import { defineConfig } from 'vitest/config';

const shared = { exclude: ['node_modules/**', 'e2e/**', '.next/**', '.data/**'] };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...shared.exclude, '**/*.int.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: shared.exclude,
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
