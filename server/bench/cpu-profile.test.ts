// Goal: the benchmark tells which process and thread wrote a CPU profile from node --cpu-prof's file name, and ignores other files.
import { describe, expect, it } from 'vitest';
import { parseProfileFileName } from './cpu-profile';

describe('parseProfileFileName', () => {
  it('reads the pid and the thread', () => {
    expect(parseProfileFileName('CPU.20261130.131341.15472.0.001.cpuprofile')).toEqual({ pid: 15472, threadId: 0 });
    expect(parseProfileFileName('CPU.20261130.131341.15472.1.002.cpuprofile')).toEqual({ pid: 15472, threadId: 1 });
  });

  it.each(['results.json', 'CPU.x.cpuprofile', 'CPU.20261130.131341.15472.0.001.cpuprofile.tmp', 'Heap.20261130.131341.15472.0.001.heapprofile'])('ignores %j', (name) => {
    expect(parseProfileFileName(name)).toBeUndefined();
  });
});
