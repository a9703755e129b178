// Goal: the benchmark reads a process's group, CPU time and peak memory from /proc's text, odd command names included, refuses text it cannot read, and adds up the CPU other processes took.
import { describe, expect, it } from 'vitest';
import { cpuTakenBetween, parseMemory, parseProcessStat, type ProcessEntry } from './process-table';

// Fields after the command: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
const stat = (pid: number, command: string, groupId: number, utime: number, stime: number) =>
  `${pid} (${command}) S 1 ${groupId} ${groupId} 0 -1 4194560 10 0 0 0 ${utime} ${stime} 0 0 20 0 1 0`;

describe('parseProcessStat', () => {
  it('reads the command, the process group and the CPU time', () => {
    expect(parseProcessStat(stat(4242, 'node', 4242, 150, 50))).toEqual({ command: 'node', groupId: 4242, cpuSeconds: 2 });
  });

  it('reads a command holding spaces and parentheses', () => {
    expect(parseProcessStat(stat(77, 'my (odd) cmd', 70, 1, 0))).toEqual({ command: 'my (odd) cmd', groupId: 70, cpuSeconds: 0.01 });
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
  const entry = (pid: number, command: string, groupId: number, cpuSeconds: number): ProcessEntry => ({ pid, command, groupId, cpuSeconds });

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
