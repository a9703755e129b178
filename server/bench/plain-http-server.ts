// The floor of any Node server on this machine: node:http answering {"ok":true} and nothing else. The
// benchmark runs it in a child process (startPlainHttpServer) and measures it with wrk like our own paths.
import { createServer } from 'node:http';

const body = JSON.stringify({ ok: true });
const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
});
// Port 0: the kernel picks a free one; the parent reads it from the first line of stdout.
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('node:http listened on no TCP port');
  process.stdout.write(`${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
