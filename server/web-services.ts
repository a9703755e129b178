// Route handlers reach the web process's long-lived clients (Kafka producer, Prisma, waiters) through this
// registry. Next bundles route handlers separately from server/web.ts, so module-level singletons would be
// created twice; globalThis is the one object both sides share, and server/web.ts is the only place that fills it.
import type { ItemStock } from './domain/purchase';
import type { PurchaseRequestRow } from './db/purchase-store';
import type { HealthReport } from './health';
import type { PurchaseResult } from './kafka/messages';
import type { PurchaseService } from './purchases/service';

export type PurchaseView = PurchaseResult | (PurchaseRequestRow & { status: 'PENDING' });

export interface WebServices {
  health(): Promise<HealthReport>;
  isSeller(request: Request): boolean;
  purchases: PurchaseService;
  findPurchase(purchaseId: string): Promise<PurchaseView | undefined>;
  listItems(after: string | undefined, limit: number): Promise<ItemStock[]>;
  findItem(itemId: string): Promise<ItemStock | undefined>;
}

const registryKey = Symbol.for('book-purchase-streams.web-services');
type Registry = { [registryKey]?: WebServices };

export function provideWebServices(services: WebServices): void {
  (globalThis as Registry)[registryKey] = services;
}

export function webServices(): WebServices {
  const services = (globalThis as Registry)[registryKey];
  // Route handlers only run inside server/web.ts, which provides the services before it listens.
  if (!services) throw new Error('web services are not provided: start the app with server/web.ts');
  return services;
}
