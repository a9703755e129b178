// Listens for the worker's stock-change notifications (pg_notify in the batch transaction, delivered on
// commit). Prisma cannot LISTEN, so this one adapter holds a plain pg connection, and reconnects.
import pg from 'pg';
import type { Logger } from 'pino';
import { config } from '../config';
import { stockChangedSchema, type StockChanged } from '../contract';
import { limits } from '../limits';
import { stockChangedChannel } from './stock-store';

export function listenForStockChanges(onChange: (change: StockChanged) => void, log: Logger): { stop(): Promise<void> } {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    const next = new pg.Client({ connectionString: config.DATABASE_URL, connectionTimeoutMillis: limits.connectTimeoutMs });
    next.on('notification', (notification) => {
      const parsed = stockChangedSchema.safeParse(parseJson(notification.payload));
      if (parsed.success) onChange(parsed.data);
      else log.warn({ payload: notification.payload }, 'malformed stock notification');
    });
    next.on('error', (error) => log.warn({ err: error }, 'stock notification connection failed'));
    next.on('end', () => {
      if (!stopped) retry = setTimeout(() => void connect(), limits.notificationReconnectMs);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${stockChangedChannel}`);
      client = next;
    } catch (error) {
      log.warn({ err: error }, 'could not listen for stock changes; retrying');
      await next.end().catch(() => undefined);
    }
  };
  void connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}

// A payload that is not JSON is reported like one of the wrong shape, instead of throwing in an event handler.
function parseJson(payload: string | undefined): unknown {
  try {
    return JSON.parse(payload ?? 'null');
  } catch {
    return undefined;
  }
}
