// The machine's processes as /proc shows them: peak memory (VmHWM) of a process group (the web process with
// its cluster workers, all in the group of the process the bench spawned), and the CPU time other processes
// took during the run, which says whether the figures were measured on a quiet machine.
import { readdir, readFile } from 'node:fs/promises';

// peakMegabytes: the most it ever held (VmHWM); residentMegabytes: what it holds now (VmRSS).
export type ProcessMemory = { pid: number; command: string; peakMegabytes: number; residentMegabytes: number };
export type ProcessEntry = { pid: number; command: string; parentId: number; groupId: number; cpuSeconds: number };

// Linux's USER_HZ, the unit of utime and stime in /proc/<pid>/stat (getconf CLK_TCK), on every platform it runs here.
const clockTicksPerSecond = 100;

// /proc/<pid>/stat: "pid (command) state ppid pgrp ... utime stime ..." (utime and stime are fields 14 and 15);
// the command may hold spaces and parentheses, so the fields are counted from the last ")".
export function parseProcessStat(stat: string): Omit<ProcessEntry, 'pid'> | undefined {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open === -1 || close < open) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  const parentId = Number(fields[1]);
  const groupId = Number(fields[2]);
  const cpuTicks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isInteger(parentId) || !Number.isInteger(groupId) || !Number.isInteger(cpuTicks)) return undefined;
  return { command: stat.slice(open + 1, close), parentId, groupId, cpuSeconds: cpuTicks / clockTicksPerSecond };
}

// CPU seconds of a process and its direct children: a PostgreSQL postmaster with its backends and auxiliary
// processes (all forked by it). Undefined when the process is gone.
export function processTreeCpuSeconds(entries: readonly ProcessEntry[], rootPid: number): number | undefined {
  const root = entries.find((entry) => entry.pid === rootPid);
  if (!root) return undefined;
  return entries.filter((entry) => entry.parentId === rootPid).reduce((sum, entry) => sum + entry.cpuSeconds, root.cpuSeconds);
}

export type MachineCpu = { busySeconds: number; idleSeconds: number };

// The first line of /proc/stat, "cpu  user nice system idle iowait irq softirq steal guest guest_nice", summed
// over all cores: guest time is already inside user, and waiting for I/O counts as idle.
export function parseMachineCpu(stat: string): MachineCpu | undefined {
  const line = stat.split('\n').find((candidate) => candidate.startsWith('cpu '));
  const ticks = line?.trim().split(/\s+/).slice(1, 9).map(Number) ?? [];
  if (ticks.length < 8 || !ticks.every(Number.isInteger)) return undefined;
  const [user = 0, nice = 0, system = 0, idle = 0, ioWait = 0, interrupts = 0, softInterrupts = 0, steal = 0] = ticks;
  return { busySeconds: (user + nice + system + interrupts + softInterrupts + steal) / clockTicksPerSecond, idleSeconds: (idle + ioWait) / clockTicksPerSecond };
}

export async function readMachineCpu(): Promise<MachineCpu> {
  const cpu = parseMachineCpu(await readFile('/proc/stat', 'utf8'));
  if (!cpu) throw new Error('cannot read /proc/stat');
  return cpu;
}

// One process's CPU seconds so far, undefined once it is gone.
export async function readProcessCpuSeconds(pid: number): Promise<number | undefined> {
  return parseProcessStat(await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''))?.cpuSeconds;
}

// A size line of /proc/<pid>/status, e.g. "VmHWM:   123456 kB", in megabytes.
function statusMegabytes(status: string, field: 'VmHWM' | 'VmRSS'): number | undefined {
  const kilobytes = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1];
  return kilobytes === undefined ? undefined : Number(kilobytes) / 1024;
}

export function parseMemory(status: string): { peakMegabytes: number; residentMegabytes: number } | undefined {
  const peakMegabytes = statusMegabytes(status, 'VmHWM');
  const residentMegabytes = statusMegabytes(status, 'VmRSS');
  return peakMegabytes === undefined || residentMegabytes === undefined ? undefined : { peakMegabytes, residentMegabytes };
}

async function processIds(): Promise<number[]> {
  return (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
}

// Processes gone between the listing and the read are skipped: this is a measurement, not an inventory.
export async function readProcessTable(): Promise<ProcessEntry[]> {
  const entries: ProcessEntry[] = [];
  for (const pid of await processIds()) {
    const stat = parseProcessStat(await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''));
    if (stat) entries.push({ pid, ...stat });
  }
  return entries;
}

export async function processGroupMemory(groupId: number): Promise<ProcessMemory[]> {
  const found: ProcessMemory[] = [];
  for (const entry of await readProcessTable()) {
    if (entry.groupId !== groupId) continue;
    const memory = parseMemory(await readFile(`/proc/${entry.pid}/status`, 'utf8').catch(() => ''));
    if (memory) found.push({ pid: entry.pid, command: entry.command, ...memory });
  }
  return found.sort((a, b) => a.pid - b.pid);
}

// CPU seconds that processes not excluded took between two readings, largest first. A process that started
// meanwhile counts whole; one that ended meanwhile is missed (its time is no longer readable).
export function cpuTakenBetween(before: readonly ProcessEntry[], after: readonly ProcessEntry[], excluded: (entry: ProcessEntry) => boolean): { command: string; cpuSeconds: number }[] {
  const earlier = new Map(before.map((entry) => [entry.pid, entry.cpuSeconds]));
  return after
    .filter((entry) => !excluded(entry))
    .map((entry) => ({ command: entry.command, cpuSeconds: entry.cpuSeconds - Math.min(entry.cpuSeconds, earlier.get(entry.pid) ?? 0) }))
    .filter((entry) => entry.cpuSeconds > 0)
    .sort((a, b) => b.cpuSeconds - a.cpuSeconds);
}
