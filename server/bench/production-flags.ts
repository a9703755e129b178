// The node flags production starts the web server with (package.json's start:web, which the Dockerfile
// mirrors), so that the bench measures the same heap settings instead of keeping a second copy of them.
export function nodeFlagsOf(command: string): string[] {
  const words = command.trim().split(/\s+/);
  const node = words.indexOf('node');
  if (node === -1) throw new Error(`no node command in ${JSON.stringify(command)}`);
  const flags: string[] = [];
  for (const word of words.slice(node + 1)) {
    if (!word.startsWith('--')) break;
    flags.push(word);
  }
  return flags;
}
