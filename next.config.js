// Next.js runs inside our custom server (server/web.ts), so `output: 'standalone'` is not an option.
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only libraries stay Node modules instead of being bundled: kafkajs and pino use Node internals,
  // and the Prisma client loads its wasm query compiler at run time.
  serverExternalPackages: ['kafkajs', 'pino', '@prisma/client', '@prisma/adapter-pg', 'pg'],
};

export default nextConfig;
