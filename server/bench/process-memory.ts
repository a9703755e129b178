// Peak memory (VmHWM) of a process and everything in its process group: the web process with its cluster
// workers, each started in the group of the process the benchmark spawned (server/testing/processes.ts).
import { readdir, readFile } from 'node:fs/promises';

export type ProcessMemory = { pid: number; command: string; peakMegabytes: number };

// /proc/<pid>/stat: "pid (command) state ppid pgrp ..."; the command may hold spaces and parentheses, so
// the fields are counted from the last ")".
export function parseProcessStat(stat: string): { command: string; groupId: number } | undefined {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open === -1 || close < open) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  const groupId = Number(fields[2]);
  return Number.isInteger(groupId) ? { command: stat.slice(open + 1, close), groupId } : undefined;
}

// /proc/<pid>/status's "VmHWM:   123456 kB", in megabytes.
export function parsePeakMegabytes(status: string): number | undefined {
  const kilobytes = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  return kilobytes === undefined ? undefined : Number(kilobytes) / 1024;
}

// Processes gone between the listing and the read are skipped: this is a measurement, not an inventory.
export async function processGroupMemory(groupId: number): Promise<ProcessMemory[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const found: ProcessMemory[] = [];
  for (const pid of pids) {
    try {
      const stat = parseProcessStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
      if (stat?.groupId !== groupId) continue;
      const peakMegabytes = parsePeakMegabytes(await readFile(`/proc/${pid}/status`, 'utf8'));
      if (peakMegabytes !== undefined) found.push({ pid, command: stat.command, peakMegabytes });
    } catch {
      continue;
    }
  }
  return found.sort((a, b) => a.pid - b.pid);
}
