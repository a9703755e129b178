// Goal: a TCP proxy in front of the web process whose cable a test can pull and plug back in.
import net from 'node:net';

export class CuttableProxy {
  private readonly connections = new Set<net.Socket>();
  private cut = false;

  private constructor(private readonly server: net.Server) {}

  static async start(targetPort: number): Promise<CuttableProxy> {
    const server = net.createServer();
    const proxy = new CuttableProxy(server);
    server.on('connection', (client) => proxy.accept(client, targetPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get origin(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy listens on a TCP port once started');
    return `http://127.0.0.1:${address.port}`;
  }

  // Every open connection is reset and new ones are refused, as when a network goes away under a browser.
  pullCable(): void {
    this.cut = true;
    for (const connection of this.connections) connection.resetAndDestroy();
    this.connections.clear();
  }

  plugIn(): void {
    this.cut = false;
  }

  async close(): Promise<void> {
    this.pullCable();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket, targetPort: number): void {
    if (this.cut) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.connections.add(from);
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => {
        this.connections.delete(from);
        to.destroy();
      });
    }
  }
}
