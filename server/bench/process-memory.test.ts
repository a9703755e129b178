// Goal: the benchmark finds a process's group and peak memory in /proc's text, odd command names included, and refuses text it cannot read.
import { describe, expect, it } from 'vitest';
import { parsePeakMegabytes, parseProcessStat } from './process-memory';

describe('parseProcessStat', () => {
  it('reads the command and the process group', () => {
    expect(parseProcessStat('4242 (node) S 4200 4242 4242 0 -1 4194560 1 0 0 0')).toEqual({ command: 'node', groupId: 4242 });
  });

  it('reads a command holding spaces and parentheses', () => {
    expect(parseProcessStat('77 (my (odd) cmd) R 1 70 70 0 -1')).toEqual({ command: 'my (odd) cmd', groupId: 70 });
  });

  it.each(['', 'garbage', '12 (node S 1 2 3', '12 (node) S 1 x'])('refuses %j', (stat) => {
    expect(parseProcessStat(stat)).toBeUndefined();
  });
});

describe('parsePeakMegabytes', () => {
  it('reads VmHWM in megabytes', () => {
    expect(parsePeakMegabytes('Name:\tnode\nVmPeak:\t 2048000 kB\nVmHWM:\t  409600 kB\nVmRSS:\t  200000 kB\n')).toBe(400);
  });

  it('is undefined without VmHWM (a kernel thread)', () => {
    expect(parsePeakMegabytes('Name:\tkthreadd\nState:\tS (sleeping)\n')).toBeUndefined();
  });
});
