// Prisma CLI configuration. Prisma 7 reads the datasource URL from here, not from schema.prisma.
// The URL comes from server/config.ts (the CLI loads TypeScript config files, imports included), so the CLI,
// the scripts and the app share one default: postgresql://postgres@127.0.0.1:5432/bps.
import { defineConfig } from 'prisma/config';
import { config } from './server/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: config.DATABASE_URL },
});
