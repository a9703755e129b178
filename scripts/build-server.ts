// Compiles the three process entries (web, worker, auditor) to plain JavaScript under dist/, so production
// runs `node dist/<entry>.mjs`: one process each, without npm, sh or tsx in between (each of those is a
// process of its own and tens of MB). Packages stay external and are loaded from node_modules as usual;
// only the project's own TypeScript (with the generated Prisma client) is bundled.
import { build } from 'esbuild';

const entries = {
  web: 'server/web.ts',
  worker: 'server/worker/main.ts',
  auditor: 'server/audit/main.ts',
};

const result = await build({
  entryPoints: entries,
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  packages: 'external',
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
});
const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.mjs'));
for (const [file, output] of outputs) console.log(`build-server: ${file} (${Math.round(output.bytes / 1024)} KiB)`);
