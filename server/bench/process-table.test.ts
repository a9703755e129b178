// Goal: the benchmark reads a process's group, CPU time and peak memory from /proc's text, odd command names included, refuses text it cannot read, and adds up the CPU other processes took.
import { describe, expect, it } from 'vitest';
import { cpuTakenBetween, parseMachineCpu, parseMemory, parseProcessStat, processTreeCpuSeconds, type ProcessEntry } from './process-table';

// Fields after the command: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
const stat = (pid: number, command: string, groupId: number, utime: number, stime: number, parentId = 1) =>
  `${pid} (${command}) S ${parentId} ${groupId} ${groupId} 0 -1 4194560 10 0 0 0 ${utime} ${stime} 0 0 20 0 1 0`;

describe('parseProcessStat', () => {
  it('reads the command, the parent, the process group and the CPU time', () => {
    expect(parseProcessStat(stat(4242, 'node', 4242, 150, 50, 17))).toEqual({ command: 'node', parentId: 17, groupId: 4242, cpuSeconds: 2 });
  });

  it('reads a command holding spaces and parentheses', () => {
    expect(parseProcessStat(stat(77, 'my (odd) cmd', 70, 1, 0))).toEqual({ command: 'my (odd) cmd', parentId: 1, groupId: 70, cpuSeconds: 0.01 });
  });

  it.each(['', 'garbage', '12 (node S 1 2 3', '12 (node) S 1 x', '12 (node) S 1 12 12 0 -1 0 0 0 0 0'])('refuses %j', (text) => {
    expect(parseProcessStat(text)).toBeUndefined();
  });
});

describe('parseMemory', () => {
  it('reads the peak (VmHWM) and the current (VmRSS) resident size in megabytes', () => {
    expect(parseMemory('Name:\tnode\nVmPeak:\t 2048000 kB\nVmHWM:\t  409600 kB\nVmRSS:\t  204800 kB\n')).toEqual({ peakMegabytes: 400, residentMegabytes: 200 });
  });

  it('is undefined without them (a kernel thread)', () => {
    expect(parseMemory('Name:\tkthreadd\nState:\tS (sleeping)\n')).toBeUndefined();
    expect(parseMemory('Name:\tnode\nVmHWM:\t  409600 kB\n')).toBeUndefined();
  });
});

describe('cpuTakenBetween', () => {
  const entry = (pid: number, command: string, groupId: number, cpuSeconds: number): ProcessEntry => ({ pid, command, parentId: 1, groupId, cpuSeconds });

  it('counts what other processes took, a new one whole, and leaves out the excluded ones', () => {
    const before = [entry(1, 'ours', 1, 10), entry(2, 'other', 2, 5), entry(3, 'idle', 3, 7)];
    const after = [entry(1, 'ours', 1, 30), entry(2, 'other', 2, 8), entry(3, 'idle', 3, 7), entry(4, 'newcomer', 4, 4)];
    expect(cpuTakenBetween(before, after, (process) => process.groupId === 1)).toEqual([
      { command: 'newcomer', cpuSeconds: 4 },
      { command: 'other', cpuSeconds: 3 },
    ]);
  });

  it('never counts less than nothing for a pid reused by a younger process', () => {
    expect(cpuTakenBetween([entry(5, 'old', 5, 50)], [entry(5, 'young', 5, 2)], () => false)).toEqual([]);
  });
});

describe('processTreeCpuSeconds', () => {
  const entry = (pid: number, parentId: number, cpuSeconds: number): ProcessEntry => ({ pid, command: 'postgres', parentId, groupId: 1, cpuSeconds });

  it('adds the direct children to the process, and no one else', () => {
    const entries = [entry(10, 1, 2), entry(11, 10, 3), entry(12, 10, 0.5), entry(13, 11, 100), entry(20, 1, 50)];
    expect(processTreeCpuSeconds(entries, 10)).toBe(5.5);
  });

  it('is undefined once the process is gone', () => {
    expect(processTreeCpuSeconds([entry(11, 10, 3)], 10)).toBeUndefined();
  });
});

describe('parseMachineCpu', () => {
  it('sums busy and idle ticks over all cores, I/O wait as idle', () => {
    const text = 'cpu  1000 50 300 8000 200 10 40 0 0 0\ncpu0 500 25 150 4000 100 5 20 0 0 0\nintr 1 2 3\n';
    expect(parseMachineCpu(text)).toEqual({ busySeconds: 14, idleSeconds: 82 });
  });

  it.each(['', 'cpu0 1 2 3 4 5 6 7 8', 'cpu  1 2 x 4 5 6 7 8'])('refuses %j', (text) => {
    expect(parseMachineCpu(text)).toBeUndefined();
  });
});
