// Where the time goes: the top self-time functions of a V8 .cpuprofile (written by node --cpu-prof).
import { readFile } from 'node:fs/promises';
import path from 'node:path';

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

export type HotFunction = { name: string; selfMs: number; share: number };

export async function topSelfTime(file: string, count: number): Promise<HotFunction[]> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicroseconds = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((nodeId, index) => {
    const node = nodes.get(nodeId);
    const delta = profile.timeDeltas[index] ?? 0;
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${path.basename(url)}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    selfMicroseconds.set(name, (selfMicroseconds.get(name) ?? 0) + delta);
    total += delta;
  });
  return [...selfMicroseconds]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, microseconds]) => ({ name, selfMs: microseconds / 1000, share: total === 0 ? 0 : microseconds / total }));
}

// node --cpu-prof names its files CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile; thread 0 is the main
// thread (others are loader or worker threads, e.g. tsx's module hooks).
export function parseProfileFileName(name: string): { pid: number; threadId: number } | undefined {
  const match = /^CPU\.\d{8}\.\d{6}\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(name);
  return match ? { pid: Number(match[1]), threadId: Number(match[2]) } : undefined;
}
