// The process's one Prisma client. Prisma 7 has no Rust query engine: queries go through pg via @prisma/adapter-pg.
import { PrismaPg } from '@prisma/adapter-pg';
import { config } from '../config';
import { limits } from '../limits';
import { PrismaClient } from './generated/client';

// Kept on globalThis because Next's dev server re-evaluates modules, and the custom server and Next's bundle load
// this file separately; each copy would otherwise open its own connection pool.
const holder = globalThis as typeof globalThis & { bpsPrisma?: PrismaClient };

export function getPrisma(): PrismaClient {
  holder.bpsPrisma ??= new PrismaClient({
    adapter: new PrismaPg({
      connectionString: config.DATABASE_URL,
      connectionTimeoutMillis: limits.connectTimeoutMs,
    }),
  });
  return holder.bpsPrisma;
}

export async function disconnectPrisma(): Promise<void> {
  const prisma = holder.bpsPrisma;
  holder.bpsPrisma = undefined;
  await prisma?.$disconnect();
}
