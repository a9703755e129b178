// Route handlers reach the web process's long-lived clients (Kafka producer, Prisma, waiters) through this
// registry. Next bundles route handlers separately from server/web-process.ts, so module-level singletons would be
// created twice; globalThis is the one object both sides share, and server/web-process.ts is the only place that fills it.
import type { SellerAuthentication, SignInOutcome } from './auth/seller-sessions';
import type { z } from 'zod';
import type { AuditJob, DeadLetter, HealthReport, Item, PurchaseLookup, PurchaseView, salesSummarySchema, Shop, StatsRange, statsSchema, StoredAudit } from './contract';
import type { ItemsPageRead } from './db/item-store';
import type { ItemsRequest, Refusal } from './db/item-query';
import type { HoldService } from './purchases/hold-service';
import type { RefundService } from './purchases/refund-service';
import type { PurchaseService } from './purchases/service';

export type SalesSummary = z.infer<typeof salesSummarySchema>;
export type PurchaseStats = z.infer<typeof statsSchema>;

export interface WebServices {
  health(): Promise<HealthReport>;
  // A bearer token, an active seller session cookie, or neither.
  authenticateSeller(headers: Headers): Promise<SellerAuthentication>;
  hasSellerSession(cookieValue: string | undefined): Promise<boolean>;
  signIn(password: string, client: string): Promise<SignInOutcome>;
  // Revokes the session the cookie names; answers the Set-Cookie that clears it.
  signOut(cookieValue: string | undefined): Promise<string>;
  storedAudit(): Promise<StoredAudit>;
  startAuditJob(): Promise<AuditJob>;
  findAuditJob(jobId: string): Promise<AuditJob | undefined>;
  purchaseStats(range: StatsRange): Promise<PurchaseStats>;
  deadLetters(): Promise<DeadLetter[]>;
  purchases: PurchaseService;
  holds: HoldService;
  // The seller's refunds and the list of sales they start from.
  refunds: RefundService;
  findPurchase(purchaseId: string): Promise<PurchaseView | undefined>;
  // A page of items, or why the paging parameters cannot be honoured (a 400 naming the field).
  listItems(request: ItemsRequest): Promise<{ ok: true; page: ItemsPageRead } | { ok: false; refusal: Refusal }>;
  findItem(itemId: string): Promise<Item | undefined>;
  // ids distinct; answered in their order, unknown ones left out.
  lookupPurchases(ids: readonly string[]): Promise<PurchaseLookup>;
  shop: Shop;
  salesSummary(): Promise<SalesSummary>;
}

const registryKey = Symbol.for('book-purchase-streams.web-services');
type Registry = { [registryKey]?: WebServices };

export function provideWebServices(services: WebServices): void {
  (globalThis as Registry)[registryKey] = services;
}

export function webServices(): WebServices {
  const services = (globalThis as Registry)[registryKey];
  // Route handlers only run inside server/web-process.ts, which provides the services before it listens.
  if (!services) throw new Error('web services are not provided: start the app with server/web.ts');
  return services;
}

// The custom server stamps each request with the peer address it really came from (overwriting anything
// a client sent under that name), for per-client limits in route handlers.
export const clientAddressHeader = 'x-bps-client-address';
