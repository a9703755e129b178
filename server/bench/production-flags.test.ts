// Goal: the benchmark takes production's node flags from the start command, and refuses a command that starts no node.
import { describe, expect, it } from 'vitest';
import { nodeFlagsOf } from './production-flags';

describe('nodeFlagsOf', () => {
  it('takes the flags between node and the entry', () => {
    expect(nodeFlagsOf('NODE_ENV=production node --enable-source-maps --max-old-space-size=256 dist/web.mjs')).toEqual(['--enable-source-maps', '--max-old-space-size=256']);
  });

  it('is empty when node has no flags', () => {
    expect(nodeFlagsOf('node dist/web.mjs --port 3')).toEqual([]);
  });

  it('refuses a command without node', () => {
    expect(() => nodeFlagsOf('tsx server/web.ts')).toThrow(/no node command/);
  });
});
