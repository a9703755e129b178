// The contract: every shape that crosses a process boundary, as zod schemas with their inferred types.
// HTTP request and response bodies, the one error shape, socket.io events, Kafka payloads and the pg_notify
// payload all live here, so the API, the worker, the auditor and the browser validate against the same
// definitions, and docs/openapi.yaml is generated from them (scripts/openapi.ts). No I/O: the browser imports
// this module, and adapters reshape their rows into these types, as commerce's reshapeProduct does.
import { z } from 'zod';
import { limits } from './limits';

// In the browser, zod must not compile its object parsers with new Function: the pages' CSP has no
// 'unsafe-eval' (docs/SECURITY.md), and even zod's caught probe for it is reported as a violation. This runs
// before the first schema below is built, which is when zod probes. Servers keep the faster compiled parsers.
if (typeof window !== 'undefined') z.config({ jitless: true });

// ── Fields ────────────────────────────────────────────────────────────────────────────────────────────────

const idPattern = /^[A-Za-z0-9._-]+$/;
const idMessage = 'only letters, digits, dot, underscore and hyphen';

export const itemIdSchema = z.string().min(1).max(limits.itemIdLengthMax).regex(idPattern, idMessage);
export const purchaseIdSchema = z.string().min(1).max(limits.purchaseIdLengthMax).regex(idPattern, idMessage);
export const quantitySchema = z.number().int().min(1).max(limits.quantityMax);
// Free text must survive every hop unchanged: PostgreSQL's text cannot hold U+0000 (one NUL fails a whole
// batched statement) and replaces lone UTF-16 surrogates, so the stored text would differ from what was
// compared. Such text is refused here, where the API, the worker's decoder and the auditor all check it.
// Lone surrogates are found with a Unicode-mode regex rather than String.prototype.isWellFormed(): the
// browser imports this module, and Next's oldest supported Firefox (111) predates isWellFormed (119).
// contract.test.ts checks that the two agree.
const loneSurrogate = /\p{Surrogate}/u;
export function isWellFormedText(value: string): boolean {
  return !loneSurrogate.test(value);
}
const wellFormedMessage = 'must be well-formed Unicode (no lone surrogates)';
const controlCharacterMessage = 'must not contain control characters';
// No C0 control character (U+0000–U+001F) and no DEL (U+007F); a description may also hold tab and line
// feed, so it can run over several lines (a carriage return is refused: browsers' textareas give LF).
const noControlCharacters = /^[^\u0000-\u001f\u007f]*$/;
const noControlCharactersButTabAndLineFeed = /^[^\u0000-\u0008\u000b-\u001f\u007f]*$/;

export const descriptionSchema = z
  .string()
  .trim()
  .min(1)
  .max(limits.descriptionLengthMax)
  .regex(noControlCharactersButTabAndLineFeed, `${controlCharacterMessage} (tab and line feed are allowed)`)
  .refine(isWellFormedText, wellFormedMessage);
export const purchasedBySchema = z
  .string()
  .trim()
  .min(1)
  .max(limits.purchasedByLengthMax)
  .regex(noControlCharacters, controlCharacterMessage)
  .refine(isWellFormedText, wellFormedMessage);
const timestampSchema = z.iso.datetime();
const countSchema = z.number().int().min(0);

// ── Kafka payloads ────────────────────────────────────────────────────────────────────────────────────────
// JSON with a schema version, validated when produced and again when consumed: a message that fails is
// logged, counted and skipped, never a crash loop.

export const schemaVersion = 1 as const;

export const restockIdSchema = z.string().min(1).max(limits.restockIdLengthMax).regex(idPattern, idMessage);

// A unit price in minor units of the shop's one currency (SHOP_CURRENCY: cents for EUR or USD, yen for JPY).
export const unitPriceSchema = z.number().int().min(0).max(limits.unitPriceMax);
export const lowStockThresholdSchema = z.number().int().min(0).max(limits.lowStockThresholdMax);

// bps-items-added. Version 2 added the optional restockId; version 3 carries every item command an item's
// partition owner decides, told apart by kind: a restock (now with an optional unitPrice) or a seller's edit of
// the item's settings. Producers write version 3; version 1 and 2 records (restocks) stay on the topic for ever,
// so the worker and the auditor still decode them.
export const itemsAddedSchemaVersion = 3 as const;
const itemsAddedFields = { itemId: itemIdSchema, description: descriptionSchema, quantity: quantitySchema, addedAt: timestampSchema };
export const itemChangesSchema = z.strictObject({
  description: descriptionSchema.optional(),
  unitPrice: unitPriceSchema.optional(),
  lowStockThreshold: lowStockThresholdSchema.nullable().optional().describe('null clears it.'),
  archived: z.boolean().optional(),
});
export const itemsAddedMessageSchema = z.union([
  z.strictObject({ schemaVersion: z.literal(1), ...itemsAddedFields }),
  z.strictObject({ schemaVersion: z.literal(2), restockId: restockIdSchema.optional(), ...itemsAddedFields }),
  z.discriminatedUnion('kind', [
    z.strictObject({ schemaVersion: z.literal(itemsAddedSchemaVersion), kind: z.literal('restock'), restockId: restockIdSchema.optional(), unitPrice: unitPriceSchema.optional(), ...itemsAddedFields }),
    z.strictObject({ schemaVersion: z.literal(itemsAddedSchemaVersion), kind: z.literal('edit'), itemId: itemIdSchema, changes: itemChangesSchema, requestedAt: timestampSchema }),
  ]),
]);
export type ItemsAddedMessage = z.infer<typeof itemsAddedMessageSchema>;
export type RestockMessage = Exclude<ItemsAddedMessage, { kind: 'edit' }>;

export function restockIdOf(message: RestockMessage): string | undefined {
  return message.schemaVersion === 1 ? undefined : message.restockId;
}

// bps-purchase-created. Version 2 carries every command an item's partition owner decides, told apart by
// kind: purchases, holds and their confirm, cancel and expiry, and refunds. Producers write version 2; version 1
// records (purchases only) stay on the topic for ever, so the worker and the auditor still decode them. Every
// command carries the API's time stamp (the expiry's is its owner's): decisions compare stamps from the log,
// never a clock.
export const purchaseCreatedSchemaVersion = 2 as const;
const purchaseFields = { purchaseId: purchaseIdSchema, itemId: itemIdSchema, quantity: quantitySchema, purchasedBy: purchasedBySchema, createdAt: timestampSchema };
const version2 = { schemaVersion: z.literal(purchaseCreatedSchemaVersion) };
const holdStepFields = { ...version2, holdId: purchaseIdSchema, itemId: itemIdSchema, requestedAt: timestampSchema };
export const purchaseCreatedMessageSchema = z.union([
  z.strictObject({ schemaVersion: z.literal(1), ...purchaseFields }),
  z.discriminatedUnion('kind', [
    z.strictObject({ ...version2, kind: z.literal('purchase'), ...purchaseFields }),
    z.strictObject({
      ...version2,
      kind: z.literal('hold'),
      holdId: purchaseIdSchema,
      itemId: itemIdSchema,
      quantity: quantitySchema,
      heldBy: purchasedBySchema,
      createdAt: timestampSchema,
      expiresAt: timestampSchema,
    }),
    z.strictObject({ ...holdStepFields, kind: z.literal('confirm') }),
    z.strictObject({ ...holdStepFields, kind: z.literal('cancel') }),
    z.strictObject({ ...holdStepFields, kind: z.literal('expire') }),
    z.strictObject({ ...version2, kind: z.literal('refund'), purchaseId: purchaseIdSchema, itemId: itemIdSchema, requestedAt: timestampSchema }),
  ]),
]);
export type PurchaseCreatedMessage = z.infer<typeof purchaseCreatedMessageSchema>;
export type PurchaseCommandKind = 'purchase' | 'hold' | 'confirm' | 'cancel' | 'expire' | 'refund';

// The kind of a record of either version (version 1 records are purchases).
export function commandKindOf(message: PurchaseCreatedMessage): PurchaseCommandKind {
  return message.schemaVersion === 1 ? 'purchase' : message.kind;
}

export const failureReasonSchema = z.enum(['OUT_OF_STOCK', 'UNKNOWN_ITEM', 'ITEM_ARCHIVED']);
// Prices arrived after version 2 of the results: a record without them decodes with null (no price then).
const pricedFields = {
  unitPrice: unitPriceSchema.nullable().default(null).describe('The unit price when decided, in minor units of SHOP_CURRENCY; null: the item had no price.'),
  total: z.number().int().min(0).nullable().default(null).describe('unitPrice × quantity, charged; null for no price, and for a FAILED purchase.'),
};
const purchaseResultFields = {
  purchaseId: purchaseIdSchema,
  itemId: itemIdSchema,
  quantity: quantitySchema,
  purchasedBy: purchasedBySchema,
  remaining: countSchema,
  ...pricedFields,
  resultMessage: z.string(),
  createdAt: timestampSchema,
  decidedAt: timestampSchema,
};
function resultBranches<Extra extends z.ZodRawShape>(extra: Extra) {
  return z.discriminatedUnion('status', [
    z.strictObject({ ...extra, ...purchaseResultFields, status: z.literal('SUCCEEDED'), reason: z.null() }),
    z.strictObject({ ...extra, ...purchaseResultFields, status: z.literal('FAILED'), reason: failureReasonSchema }),
    // A succeeded purchase the seller refunded: its units went back to available. decidedAt stays the
    // purchase's; refundedAt is the refund's.
    z.strictObject({ ...extra, ...purchaseResultFields, status: z.literal('REFUNDED'), reason: z.null(), refundedAt: timestampSchema }),
  ]);
}

// What the API answers and socket.io emits: the finished event without its envelope.
export const purchaseResultSchema = resultBranches({}).meta({
  id: 'PurchaseResult',
  description: 'A decided purchase (REFUNDED once a seller refunded it). Also published to bps-purchase-finished and pushed as purchase.finished.',
});
export type PurchaseResult = z.infer<typeof purchaseResultSchema>;

export const holdStatusSchema = z.enum(['HELD', 'CONFIRMED', 'CANCELLED', 'EXPIRED', 'FAILED']);
export type HoldStatus = z.infer<typeof holdStatusSchema>;
// A hold as decided so far: HELD, or one of its final states. remaining is the item's available units right
// after this decision; decidedAt is when the worker made it.
export const holdResultSchema = z
  .strictObject({
    holdId: purchaseIdSchema,
    itemId: itemIdSchema,
    quantity: quantitySchema,
    heldBy: purchasedBySchema,
    status: holdStatusSchema,
    reason: failureReasonSchema.nullable().describe('Why a FAILED hold could not be placed; null otherwise.'),
    remaining: countSchema,
    createdAt: timestampSchema,
    expiresAt: timestampSchema.describe("The hold request's time stamp plus its ttlSeconds: a confirm stamped later fails."),
    unitPrice: unitPriceSchema.nullable().default(null).describe('The unit price fixed when the hold was decided: a confirm charges it × quantity.'),
    decidedAt: timestampSchema,
    resultMessage: z.string(),
  })
  .meta({ id: 'HoldResult', description: 'A decided hold. Also published to bps-purchase-finished and pushed as hold.changed.' });
export type HoldResult = z.infer<typeof holdResultSchema>;

// bps-purchase-finished: results with their envelope. Version 1 records are purchase results (SUCCEEDED or
// FAILED); version 2 adds kind, the REFUNDED purchase, and holds. Producers write version 2.
export const purchaseFinishedSchemaVersion = 2 as const;
const finishedVersion1 = z.discriminatedUnion('status', [
  z.strictObject({ schemaVersion: z.literal(1), ...purchaseResultFields, status: z.literal('SUCCEEDED'), reason: z.null() }),
  z.strictObject({ schemaVersion: z.literal(1), ...purchaseResultFields, status: z.literal('FAILED'), reason: failureReasonSchema }),
]);
const finishedPurchase = resultBranches({ schemaVersion: z.literal(purchaseFinishedSchemaVersion), kind: z.literal('purchase') });
const finishedHold = holdResultSchema.extend({ schemaVersion: z.literal(purchaseFinishedSchemaVersion), kind: z.literal('hold') });
// The purchase branches nest as one option: zod refuses a discriminatedUnion whose options repeat a kind.
export const purchaseFinishedMessageSchema = z.union([finishedVersion1, z.discriminatedUnion('kind', [finishedPurchase, finishedHold])]);
export type PurchaseFinishedMessage = z.infer<typeof purchaseFinishedMessageSchema>;
export type FinishedPurchaseMessage = Extract<PurchaseFinishedMessage, { schemaVersion: 1 } | { kind: 'purchase' }>;
export type FinishedHoldMessage = Extract<PurchaseFinishedMessage, { kind: 'hold' }>;

// A finished record, either version, without its envelope.
export type FinishedResult = { kind: 'purchase'; result: PurchaseResult } | { kind: 'hold'; result: HoldResult };
export function toFinishedResult(message: PurchaseFinishedMessage): FinishedResult {
  if (message.schemaVersion === 1) {
    const { schemaVersion: _envelope, ...result } = message;
    return { kind: 'purchase', result };
  }
  if (message.kind === 'hold') {
    const { schemaVersion: _envelope, kind: _kind, ...result } = message;
    return { kind: 'hold', result };
  }
  const { schemaVersion: _envelope, kind: _kind, ...result } = message;
  return { kind: 'purchase', result };
}

export function purchaseFinishedMessage(result: PurchaseResult): PurchaseFinishedMessage {
  return { schemaVersion: purchaseFinishedSchemaVersion, kind: 'purchase', ...result };
}
export function holdFinishedMessage(result: HoldResult): PurchaseFinishedMessage {
  return { schemaVersion: purchaseFinishedSchemaVersion, kind: 'hold', ...result };
}

// ── pg_notify and stock ───────────────────────────────────────────────────────────────────────────────────

// An item's stock as the stock view holds it. available is not bounded below here: were an item ever
// oversold, the seller must see it rather than fail to load (the database CHECK and the auditor guard it).
export const itemSchema = z
  .strictObject({
    itemId: itemIdSchema,
    description: z.string(),
    restocked: countSchema,
    sold: countSchema.describe('Units ever sold, refunded ones included.'),
    available: z.number().int(),
    held: countSchema.describe('Units set aside by holds that are neither confirmed, cancelled nor expired.'),
    refunded: countSchema.describe('Sold units a seller refunded (back in available).'),
    unitPrice: unitPriceSchema.nullable().describe('In minor units of SHOP_CURRENCY (GET /api/shop); null: no price yet (it can still be bought, for no charge).'),
    lowStockThreshold: lowStockThresholdSchema.nullable().describe("The seller's warning level: available at or below it is low stock."),
    archived: z.boolean().describe('Hidden from the shop; purchases and holds fail ITEM_ARCHIVED; history kept.'),
    version: countSchema.describe('Grows by one with every change the worker applies to the item: of two views of one item, the higher version is the newer (a page merging GET /api/items with stock.changed keeps it).'),
  })
  .meta({ id: 'Item', description: 'An item, its settings and its stock: available + held + sold − refunded = restocked.' });
export type Item = z.infer<typeof itemSchema>;

// The worker's pg_notify payload on channel bps_stock_changed, relayed to browsers as stock.changed: the whole
// item, since a seller's edit (title, price, archive) must arrive live as well as a stock change.
export const stockChangedSchema = itemSchema.meta({
  id: 'StockChanged',
  description: "An item as it is now, sent when the worker has changed its stock or settings (socket.io stock.changed).",
});
export type StockChanged = z.infer<typeof stockChangedSchema>;

// ── HTTP: errors ──────────────────────────────────────────────────────────────────────────────────────────

export const errorBodySchema = z
  .strictObject({
    error: z.string().describe('One sentence saying what went wrong.'),
    fields: z.record(z.string(), z.string()).optional().describe('Per field (or header, or query parameter): what is wrong with it.'),
    requestId: z.string().optional().describe('Present on 500s: quote it when reporting the problem; the server logged it.'),
  })
  .meta({ id: 'Error', description: 'Every error of the API has this shape.' });
export type ErrorBody = z.infer<typeof errorBodySchema>;

// ── HTTP: requests ────────────────────────────────────────────────────────────────────────────────────────

// Query values arrive as strings; only plain decimal integers are accepted.
const integerString = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const restockBodySchema = z
  .strictObject({
    restockId: restockIdSchema
      .optional()
      .describe('The idempotency key: the same id again with the same body is the same restock, applied once; another body is 409. Without it every request adds.'),
    itemId: itemIdSchema.optional().describe('Omitted: a new item with a generated id (a repeat with the same restockId answers the same id).'),
    description: descriptionSchema.describe("The item's title (the original project's field name)."),
    quantity: quantitySchema.describe('Added to the stock.'),
    unitPrice: unitPriceSchema.optional().describe('Sets the unit price, in minor units of SHOP_CURRENCY. Omitted: the price stays as it is (none for a new item).'),
  })
  .meta({ id: 'RestockRequest' });
export type RestockBody = z.infer<typeof restockBodySchema>;

export const restockAcceptedSchema = z
  .strictObject({ itemId: itemIdSchema, quantity: quantitySchema })
  .meta({ id: 'RestockAccepted', description: 'The restock is durably appended; the worker applies it shortly.' });
export type RestockAccepted = z.infer<typeof restockAcceptedSchema>;

export const purchaseBodySchema = z
  .strictObject({
    purchaseId: purchaseIdSchema.optional().describe('The idempotency key: the same id again is the same purchase. Generated when absent.'),
    itemId: itemIdSchema,
    quantity: quantitySchema,
    purchasedBy: purchasedBySchema.describe('A public display name.'),
  })
  .meta({ id: 'PurchaseRequest' });
export type PurchaseBody = z.infer<typeof purchaseBodySchema>;

export const purchaseQuerySchema = z.strictObject({
  wait: integerString(0, limits.purchaseWaitMsMax)
    .optional()
    .describe(`Milliseconds to wait for the decision (0 to ${limits.purchaseWaitMsMax}; default 0: answer 202 at once).`),
});

export const purchasePendingSchema = z
  .strictObject({ purchaseId: purchaseIdSchema, status: z.literal('PENDING') })
  .meta({ id: 'PurchasePending', description: 'Accepted and appended, not decided yet: ask Location later.' });
export type PurchasePending = z.infer<typeof purchasePendingSchema>;

// GET /api/purchases/{purchaseId}: the result, or the accepted request while it waits for its decision.
export const purchaseViewSchema = z
  .union([
    purchaseResultSchema,
    z.strictObject({
      purchaseId: purchaseIdSchema,
      itemId: itemIdSchema,
      quantity: quantitySchema,
      purchasedBy: purchasedBySchema,
      createdAt: timestampSchema,
      status: z.literal('PENDING'),
    }),
  ])
  .meta({ id: 'PurchaseView' });
export type PurchaseView = z.infer<typeof purchaseViewSchema>;

export const purchasePathSchema = z.strictObject({ purchaseId: purchaseIdSchema });

// ── HTTP: holds and refunds ───────────────────────────────────────────────────────────────────────────────

export const holdBodySchema = z
  .strictObject({
    holdId: purchaseIdSchema
      .optional()
      .describe('The idempotency key, from the same namespace as purchaseIds (a confirmed hold is the purchase holdId): the same body again is the same hold; another body, or an id a purchase uses, is 409. Generated when absent. Whoever knows it can confirm or cancel the hold, so generate it unguessable (a UUID).'),
    itemId: itemIdSchema,
    quantity: quantitySchema,
    heldBy: purchasedBySchema.describe('A public display name.'),
    ttlSeconds: z
      .number()
      .int()
      .min(limits.holdTtlSecondsMin)
      .max(limits.holdTtlSecondsMax)
      .optional()
      .describe(`How long the hold lasts, ${limits.holdTtlSecondsMin} to ${limits.holdTtlSecondsMax} seconds (default HOLD_TTL_SECONDS, ${limits.holdTtlSecondsDefault}).`),
  })
  .meta({ id: 'HoldRequest' });
export type HoldBody = z.infer<typeof holdBodySchema>;

export const holdPathSchema = z.strictObject({ holdId: purchaseIdSchema });

export const holdPendingSchema = z
  .strictObject({ holdId: purchaseIdSchema, status: z.literal('PENDING') })
  .meta({ id: 'HoldPending', description: 'Appended, not decided yet: ask Location later.' });
export type HoldPending = z.infer<typeof holdPendingSchema>;

// GET /api/holds/{holdId}: the hold as decided, or the accepted request while it waits for its decision.
export const holdViewSchema = z
  .union([
    holdResultSchema,
    z.strictObject({
      holdId: purchaseIdSchema,
      itemId: itemIdSchema,
      quantity: quantitySchema,
      heldBy: purchasedBySchema,
      createdAt: timestampSchema,
      expiresAt: timestampSchema,
      status: z.literal('PENDING'),
    }),
  ])
  .meta({ id: 'HoldView' });
export type HoldView = z.infer<typeof holdViewSchema>;

export const purchaseLookupSchema = z
  .array(z.union([z.strictObject({ kind: z.literal('purchase'), purchase: purchaseViewSchema }), z.strictObject({ kind: z.literal('hold'), hold: holdViewSchema })]))
  .max(limits.purchaseLookupIdsMax)
  .meta({ id: 'PurchaseLookup' });
export type PurchaseLookup = z.infer<typeof purchaseLookupSchema>;

// Why a confirm did not buy: the hold expired (the confirm was stamped after expiresAt, or came after the
// expiry), was cancelled, or was never placed (FAILED: out of stock or unknown item).
export const confirmFailureReasonSchema = z.enum(['HOLD_EXPIRED', 'HOLD_CANCELLED', 'HOLD_FAILED']);
export const confirmResultSchema = z
  .discriminatedUnion('status', [
    z.strictObject({ holdId: purchaseIdSchema, status: z.literal('CONFIRMED'), hold: holdResultSchema, purchase: purchaseResultSchema }),
    z.strictObject({ holdId: purchaseIdSchema, status: z.literal('FAILED'), reason: confirmFailureReasonSchema, hold: holdResultSchema }),
  ])
  .meta({ id: 'ConfirmResult', description: 'CONFIRMED: the held units are sold, as the purchase holdId. FAILED: why not; nothing was sold.' });
export type ConfirmResult = z.infer<typeof confirmResultSchema>;

export const refundPendingSchema = z
  .strictObject({ purchaseId: purchaseIdSchema, status: z.literal('REFUND_PENDING') })
  .meta({ id: 'RefundPending', description: 'The refund is appended, not applied yet: ask Location later.' });

export const salesQuerySchema = z.strictObject({
  limit: integerString(1, limits.salesListedMax).optional().describe(`How many, at most ${limits.salesListedMax} (the default).`),
});
export const salesSchema = z
  .array(purchaseResultSchema)
  .max(limits.salesListedMax)
  .meta({ id: 'Sales', description: 'The newest succeeded or refunded purchases, newest decision first.' });
export const itemPathSchema = z.strictObject({ itemId: itemIdSchema });

export const itemSortSchema = z.enum(['id', 'title', '-title', 'price', '-price', 'available', '-available']);
export type ItemSort = z.infer<typeof itemSortSchema>;
export const itemsQuerySchema = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1)
    .max(limits.itemSearchLengthMax)
    .regex(noControlCharacters, controlCharacterMessage)
    .optional()
    .describe('Only items whose title contains this text (case-insensitive).'),
  sort: itemSortSchema.optional().describe('Order: id (the default), title, price or available; a leading - reverses it. Items without a price sort last either way. Ties go by id.'),
  inStock: z.enum(['true', 'false']).optional().describe('true: only items with units available.'),
  archived: z.enum(['exclude', 'include', 'only']).optional().describe('Archived items are left out (exclude, the default); include and only are for the seller (401 otherwise).'),
  cursor: z.string().min(1).max(limits.itemsCursorLengthMax).optional().describe("The previous page's Link rel=next cursor; only with the same q, sort, inStock and archived."),
  after: itemIdSchema.optional().describe('Only items whose id sorts after this one (paging in id order; cursor pages any order).'),
  limit: integerString(1, limits.itemsPageSizeMax).optional().describe(`Page size, at most ${limits.itemsPageSizeMax} (the default).`),
});
export const itemsPageSchema = z
  .array(itemSchema)
  .max(limits.itemsPageSizeMax)
  .meta({ id: 'ItemsPage', description: 'A page of items in the requested order. When more follow, the Link header names the next page (rel="next").' });

// PATCH /api/items/{itemId}: a seller's edit, appended like a restock and applied in log order with the item's
// restocks and purchases. At least one field.
export const itemEditBodySchema = itemChangesSchema
  .refine((changes) => Object.keys(changes).length > 0, 'name at least one of description, unitPrice, lowStockThreshold, archived')
  .meta({ id: 'ItemEdit' });
export type ItemEditBody = z.infer<typeof itemEditBodySchema>;
export const itemEditAcceptedSchema = z
  .strictObject({ itemId: itemIdSchema, status: z.literal('PENDING') })
  .meta({ id: 'ItemEditAccepted', description: 'The edit is durably appended; stock.changed carries the item once it is applied.' });

// GET /api/purchases?ids=: what a browser keeps of its own purchases and holds, read in one request.
export const purchaseLookupQuerySchema = z.strictObject({
  ids: z
    .string()
    .min(1)
    .transform((text) => text.split(','))
    .pipe(z.array(purchaseIdSchema).min(1).max(limits.purchaseLookupIdsMax))
    .describe(`Comma-separated purchaseIds or holdIds, at most ${limits.purchaseLookupIdsMax}.`),
});

// GET /api/shop: what every page needs to show prices.
export const shopSchema = z
  .strictObject({ currency: z.string().regex(/^[A-Z]{3}$/).describe('ISO 4217; prices are integers in its minor unit.'), currencyMinorDigits: z.number().int().min(0).max(4) })
  .meta({ id: 'Shop' });
export type Shop = z.infer<typeof shopSchema>;

// GET /api/sales/summary (seller): revenue from the prices recorded at each decision.
export const salesSummarySchema = z
  .strictObject({
    currency: z.string(),
    grossRevenue: z.number().int().min(0).describe('Sum of the totals of every succeeded purchase, refunded ones included.'),
    refundedRevenue: z.number().int().min(0).describe('Sum of the totals of refunded purchases.'),
    netRevenue: z.number().int().describe('grossRevenue − refundedRevenue.'),
    soldUnits: countSchema,
    refundedUnits: countSchema,
    unpricedSales: countSchema.describe('Succeeded purchases of items that had no price (total null): not in the revenue.'),
  })
  .meta({ id: 'SalesSummary' });

// A password is taken as typed (no trim; spaces and any printable character count), but control characters
// and lone surrogates are refused like in every other text field: no keyboard types them.
export const signInBodySchema = z
  .strictObject({
    password: z.string().min(1).max(200).regex(noControlCharacters, controlCharacterMessage).refine(isWellFormedText, wellFormedMessage),
  })
  .meta({ id: 'SignInRequest' });

export const statsRangeSchema = z.enum(['5m', '1h', '24h']);
export type StatsRange = z.infer<typeof statsRangeSchema>;
export const statsQuerySchema = z.strictObject({
  range: statsRangeSchema.optional().describe('The window: 5m in 10-second buckets (the default), 1h in 1-minute buckets, 24h in 15-minute buckets.'),
});
export const statsBucketSchema = z.strictObject({ startsAt: timestampSchema, succeeded: countSchema, failed: countSchema });
export type StatsBucket = z.infer<typeof statsBucketSchema>;
export const statsSchema = z
  .strictObject({
    range: statsRangeSchema,
    bucketSeconds: z.number().int().min(1),
    from: timestampSchema.describe('The start of the window: the chart spans from here to now, whatever the buckets.'),
    buckets: z.array(statsBucketSchema).describe('Oldest first; empty buckets are left out.'),
  })
  .meta({ id: 'PurchaseStats', description: 'Decided purchases per bucket over the chosen range.' });
export type Stats = z.infer<typeof statsSchema>;

export const baselineResultSchema = z
  .strictObject({ purchaseId: purchaseIdSchema, status: z.enum(['SUCCEEDED', 'FAILED']), remaining: countSchema })
  .meta({ id: 'BaselineResult' });
export type BaselineResult = z.infer<typeof baselineResultSchema>;

// An input record the worker skipped (malformed, or refused by PostgreSQL), for the seller. The offset is a
// decimal string, since Kafka offsets are 64-bit; firstBytes is base64, since the bytes may be anything.
export const deadLetterSchema = z
  .strictObject({
    topic: z.string(),
    partition: countSchema,
    offset: z.string().regex(/^\d+$/),
    reason: z.string(),
    firstBytes: z.base64().describe(`The record value's first ${limits.deadLetterValueBytesMax} bytes, base64.`),
    createdAt: timestampSchema,
  })
  .meta({ id: 'DeadLetter' });
export type DeadLetter = z.infer<typeof deadLetterSchema>;
export const deadLettersSchema = z
  .array(deadLetterSchema)
  .meta({ id: 'DeadLetters', description: `The newest dead letters first, at most ${limits.deadLettersListedMax}.` });

export const pingSchema = z.strictObject({ ok: z.literal(true) }).meta({ id: 'Ping' });

// ── HTTP: health ──────────────────────────────────────────────────────────────────────────────────────────

const dependencyHealthSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('up') }),
  z.strictObject({ status: z.literal('down'), error: z.string() }),
]);
export type DependencyHealth = z.infer<typeof dependencyHealthSchema>;
export const dependencyNameSchema = z.enum(['kafka', 'database']);
export type DependencyName = z.infer<typeof dependencyNameSchema>;
export const healthReportSchema = z
  .strictObject({
    status: z.enum(['up', 'down']),
    kafka: dependencyHealthSchema,
    database: dependencyHealthSchema,
    failing: z.array(dependencyNameSchema),
  })
  .meta({ id: 'Health' });
export type HealthReport = z.infer<typeof healthReportSchema>;

// ── HTTP: audit ───────────────────────────────────────────────────────────────────────────────────────────

const findingsSchema = z.array(z.string());
// The purchases table per item. succeeded* count every purchase that succeeded, the refunded ones (status
// REFUNDED) included, as items.sold does; refunded* count the refunded ones alone.
const databasePurchasesSchema = z.strictObject({
  succeededQuantity: countSchema,
  succeededCount: countSchema,
  failedCount: countSchema,
  refundedQuantity: countSchema,
  refundedCount: countSchema,
});
export type DatabasePurchases = z.infer<typeof databasePurchasesSchema>;
const databaseItemSchema = z.strictObject({
  itemId: z.string(),
  restocked: z.number().int(),
  sold: z.number().int(),
  available: z.number().int(),
  held: z.number().int(),
  refunded: z.number().int(),
});
export type DatabaseItem = z.infer<typeof databaseItemSchema>;
// The holds table per item: how many holds are in each status, and the units of the HELD ones.
const databaseHoldsSchema = z.strictObject({
  heldQuantity: countSchema,
  held: countSchema,
  confirmed: countSchema,
  cancelled: countSchema,
  expired: countSchema,
  failed: countSchema,
});
export type DatabaseHolds = z.infer<typeof databaseHoldsSchema>;

// The replay's figures for holds and refunds, per item and in the totals.
const holdAndRefundFigures = {
  heldQuantity: countSchema.describe('Units of the holds whose latest result is HELD.'),
  refundedQuantity: countSchema.describe('Units given back by REFUNDED results that match a SUCCEEDED purchase.'),
  refundsCount: countSchema,
  holdsPlaced: countSchema.describe('Holds that were HELD (or reached CONFIRMED, CANCELLED or EXPIRED).'),
  holdsConfirmed: countSchema,
  holdsCancelled: countSchema,
  holdsExpired: countSchema,
  holdsFailed: countSchema,
};

export const itemAuditSchema = z.strictObject({
  itemId: z.string(),
  restocked: countSchema.describe('Sum of the restocks the domain accepts, replayed in order.'),
  restocksRejected: countSchema,
  succeededQuantity: countSchema.describe('Units ever sold (confirmed holds and later refunds included).'),
  succeededCount: countSchema,
  failedCount: countSchema,
  ...holdAndRefundFigures,
  duplicates: countSchema.describe('Extra copies of a result already seen (re-sent by the relay, or re-published for a repeated request).'),
  database: z.strictObject({ item: databaseItemSchema.nullable(), purchases: databasePurchasesSchema, holds: databaseHoldsSchema, outboxUnsent: countSchema }),
  settled: z.boolean().describe('The worker had applied both input topics up to the ends the audit read.'),
  violations: findingsSchema,
  notes: findingsSchema,
});
export type ItemAudit = z.infer<typeof itemAuditSchema>;

const topicCountsSchema = z.strictObject({ itemsAdded: countSchema, purchaseFinished: countSchema });
export const auditTotalsSchema = z.strictObject({
  items: countSchema,
  itemsWithViolations: countSchema,
  restocked: countSchema,
  restocksRejected: countSchema,
  succeededQuantity: countSchema,
  succeededCount: countSchema,
  failedCount: countSchema,
  ...holdAndRefundFigures,
  duplicates: countSchema,
  outboxUnsent: countSchema,
  messages: topicCountsSchema,
  malformed: topicCountsSchema,
});
export type AuditTotals = z.infer<typeof auditTotalsSchema>;

export const auditReportSchema = z
  .strictObject({
    items: z.array(itemAuditSchema),
    totals: auditTotalsSchema,
    violations: findingsSchema.describe('Every violation, each prefixed by its item (or its topic for the global ones).'),
    notes: findingsSchema,
    clean: z.boolean(),
  })
  .meta({
    id: 'AuditReport',
    description:
      'The auditor: restocks and results (purchases, holds, refunds) replayed and compared with Postgres. No oversell at any point, every hold with one final state, every refund matching one succeeded purchase.',
  });
export type AuditReport = z.infer<typeof auditReportSchema>;

export const auditRunKindSchema = z.enum(['INCREMENTAL', 'FULL']);
export const auditJobStatusSchema = z.enum(['QUEUED', 'RUNNING', 'DONE', 'FAILED']);
export const auditJobIdSchema = z.string().regex(/^\d{1,18}$/, 'must be a job number');

export const auditJobSchema = z
  .strictObject({
    jobId: auditJobIdSchema,
    status: auditJobStatusSchema,
    requestedAt: timestampSchema,
    startedAt: timestampSchema.nullable(),
    finishedAt: timestampSchema.nullable(),
    progress: z
      .strictObject({ messagesRead: countSchema, messagesTotal: countSchema })
      .nullable()
      .describe('While RUNNING: messages replayed so far of those up to the topic ends taken at the start.'),
    error: z.string().nullable(),
  })
  .meta({ id: 'AuditJob', description: 'A full audit from offset 0, run by the auditor process.' });
export type AuditJob = z.infer<typeof auditJobSchema>;

export const storedAuditSchema = z
  .strictObject({
    latest: z
      .strictObject({ kind: auditRunKindSchema, finishedAt: timestampSchema, report: auditReportSchema })
      .nullable()
      .describe('The newest report: the incremental audit updates it every few seconds; a full audit replaces it when done.'),
    job: auditJobSchema.nullable().describe('The newest full audit job, whatever its status.'),
  })
  .meta({ id: 'StoredAudit' });
export type StoredAudit = z.infer<typeof storedAuditSchema>;
export const auditJobPathSchema = z.strictObject({ jobId: auditJobIdSchema });

// ── socket.io ─────────────────────────────────────────────────────────────────────────────────────────────

// Where a result stands in the outbox of its partition. Sequences grow in commit order within a partition
// (its batches are serialised by the owner lock), so "everything after sequence S" is a gap-free replay.
export const resultPositionSchema = z.strictObject({ partition: z.number().int().min(0), sequence: z.number().int().min(0) });
export type ResultPosition = z.infer<typeof resultPositionSchema>;

// What sockets receive: the result and its position for resuming a feed (null for a result that did not come
// through the outbox relay, such as one a test produced by hand).
export const liveResultSchema = z
  .discriminatedUnion('status', [
    purchaseResultSchema.options[0].extend({ position: resultPositionSchema.nullable() }),
    purchaseResultSchema.options[1].extend({ position: resultPositionSchema.nullable() }),
    purchaseResultSchema.options[2].extend({ position: resultPositionSchema.nullable() }),
  ])
  .meta({ id: 'LiveResult', description: 'socket.io purchase.finished: a result and its place in its partition.' });
export type LiveResult = z.infer<typeof liveResultSchema>;

export const socketScopeSchema = z.enum(['items']).optional();
export const itemIdsSchema = z.array(itemIdSchema).max(limits.socketItemRoomsMax);
export const holdIdsSchema = z.array(purchaseIdSchema).max(limits.socketHoldRoomsMax);

// What a hold's watchers (room hold:<holdId>) and the all-results room receive when a hold is decided or changes.
export const liveHoldSchema = holdResultSchema
  .extend({ position: resultPositionSchema.nullable() })
  .meta({ id: 'LiveHold', description: 'socket.io hold.changed: a hold decided or changed, and its place in its partition.' });
export type LiveHold = z.infer<typeof liveHoldSchema>;

// A sequence per partition, partition numbers as decimal strings.
const feedPositionsSchema = z.record(z.string().regex(/^\d+$/), z.number().int().min(0));

export const feedResumeRequestSchema = z
  .strictObject({
    positions: feedPositionsSchema
      .default({})
      .describe('The last sequence seen per partition (partition numbers as decimal strings): at most one entry per partition of the topics, each below KAFKA_TOPIC_PARTITIONS. A partition left out is read from its newest result; send {} for the newest results of all (a first load, or a reload).'),
  })
  .meta({ id: 'FeedResumeRequest' });
export type FeedResumeRequest = z.input<typeof feedResumeRequestSchema>;

// Over the per-socket rate of feed.resume (FEED_RESUMES_PER_MINUTE_MAX): nothing was read; ask again later.
export const feedResumeRateLimitedSchema = z.strictObject({
  error: z.literal('RATE_LIMITED'),
  retryAfterSeconds: z.number().int().min(1).describe('Seconds until this socket may resume again.'),
});
export type FeedResumeRateLimited = z.infer<typeof feedResumeRateLimitedSchema>;

// The outbox keeps sent results for limits.outboxRetentionMs only. A feed whose position in some partition lies
// below what was pruned there would get a replay with a hole in it: it is told to reload instead (forget what
// it shows and resume from {}).
export const feedResumeReloadSchema = z.strictObject({
  reload: z.literal(true),
  reason: z.string().describe('Which position lies below what the server still keeps, in one sentence.'),
});
export type FeedResumeReload = z.infer<typeof feedResumeReloadSchema>;

export const feedResumeAnswerSchema = z
  .union([
    z.strictObject({
      results: z.array(liveResultSchema).max(limits.feedReplayMax),
      positions: feedPositionsSchema.describe(
        'The newest sequence per partition when the results were read. The feed resumes from these next time (or from a later one it saw live), so a partition where it saw no result still has a position.',
      ),
    }),
    feedResumeReloadSchema,
    feedResumeRateLimitedSchema,
    z.strictObject({ error: z.string().describe('Why not, in one sentence (positions malformed, or the read failed).') }),
  ])
  .meta({
    id: 'FeedResumeAnswer',
    description: `What was missed, newest first, at most feedReplayMax, with the positions to resume from next; reload when a position lies below what the outbox still keeps (sent results are kept ${limits.outboxRetentionMs / 60_000} minutes); RATE_LIMITED past ${limits.feedResumesPerMinuteMax} resumes per socket per minute (FEED_RESUMES_PER_MINUTE_MAX); or why not.`,
  });
export type FeedResumeAnswer = z.infer<typeof feedResumeAnswerSchema>;

// The data of the connect_error a client gets when the server refuses its socket: this client address already
// holds its share of CLIENT_SOCKETS_MAX sockets. socket.io does not retry a refused connection by itself.
export const socketRefusalSchema = z
  .strictObject({ code: z.literal('TOO_MANY_SOCKETS') })
  .meta({ id: 'SocketRefusal', description: `connect_error data: this client address already holds its share of CLIENT_SOCKETS_MAX (default ${limits.clientSocketsMax}) sockets.` });
export type SocketRefusal = z.infer<typeof socketRefusalSchema>;

// socket.io's typed events: the server and the browser both use these, so an event name or payload cannot
// drift between them.
export interface ServerToClientEvents {
  'purchase.finished': (result: LiveResult) => void;
  'stock.changed': (change: StockChanged) => void;
  'hold.changed': (hold: LiveHold) => void;
}
export interface ClientToServerEvents {
  'items.subscribe': (itemIds: string[]) => void;
  'items.unsubscribe': (itemIds: string[]) => void;
  'holds.subscribe': (holdIds: string[]) => void;
  'holds.unsubscribe': (holdIds: string[]) => void;
  'feed.resume': (request: FeedResumeRequest, acknowledge: (answer: FeedResumeAnswer) => void) => void;
}
export type ServerToClientEventName = keyof ServerToClientEvents;

// socket.io events as the generated OpenAPI document describes them (x-socket-io).
export const socketEventContracts = [
  { name: 'purchase.finished', direction: 'server-to-client', schema: liveResultSchema, description: 'A purchase was decided. Sent once per socket even when it is in both the all-results room and the item\'s room.' },
  { name: 'stock.changed', direction: 'server-to-client', schema: stockChangedSchema, description: "An item changed: its stock (a restock, purchase, hold or refund was committed) or its settings (a seller's edit was applied). Carries the whole item." },
  { name: 'hold.changed', direction: 'server-to-client', schema: liveHoldSchema, description: "A hold was decided or changed (HELD, CONFIRMED, CANCELLED, EXPIRED, FAILED). Sent to the hold's room (holds.subscribe) and to the all-results room." },
  { name: 'items.subscribe', direction: 'client-to-server', schema: itemIdsSchema, description: `Join the rooms of these items (at most ${limits.socketItemRoomsMax} per socket in all; ids past that are ignored).` },
  { name: 'items.unsubscribe', direction: 'client-to-server', schema: itemIdsSchema, description: 'Leave the rooms of these items.' },
  { name: 'holds.subscribe', direction: 'client-to-server', schema: holdIdsSchema, description: `Join the rooms of these holds, to receive their hold.changed (at most ${limits.socketHoldRoomsMax} per socket in all; ids past that are ignored).` },
  { name: 'holds.unsubscribe', direction: 'client-to-server', schema: holdIdsSchema, description: 'Leave the rooms of these holds.' },
  { name: 'feed.resume', direction: 'client-to-server', schema: feedResumeRequestSchema, acknowledgement: feedResumeAnswerSchema, description: `Ask for the results missed since the given positions; acknowledged with them, newest first, and the positions to resume from next, or with {reload: true, reason} when results after a position were already pruned (then forget the shown results and resume from {}). At most ${limits.feedResumesPerMinuteMax} per socket per minute (FEED_RESUMES_PER_MINUTE_MAX); past that the answer is RATE_LIMITED and nothing is read.` },
] as const satisfies readonly { name: ServerToClientEventName | keyof ClientToServerEvents; direction: string; schema: z.ZodType; description: string; acknowledgement?: z.ZodType }[];

// ── node:cluster IPC ──────────────────────────────────────────────────────────────────────────────────────
// A web process asks the cluster primary for the metrics of all web processes (GET /metrics lands on any one
// of them); the primary answers with their sum in Prometheus's text format, or why not.
export const clusterMetricsRequestSchema = z.strictObject({ type: z.literal('bps:cluster-metrics-request'), requestId: z.number().int().min(0) });
export type ClusterMetricsRequest = z.infer<typeof clusterMetricsRequestSchema>;
export const clusterMetricsAnswerSchema = z.discriminatedUnion('ok', [
  z.strictObject({ type: z.literal('bps:cluster-metrics-answer'), requestId: z.number().int().min(0), ok: z.literal(true), text: z.string() }),
  z.strictObject({ type: z.literal('bps:cluster-metrics-answer'), requestId: z.number().int().min(0), ok: z.literal(false), error: z.string() }),
]);
export type ClusterMetricsAnswer = z.infer<typeof clusterMetricsAnswerSchema>;

// ── HTTP: the routes ──────────────────────────────────────────────────────────────────────────────────────
// Each route's contract drives both its handler (server/http/route.ts parses params, query and body with
// these schemas and checks the seller) and its OpenAPI description (scripts/openapi.ts). Errors every route
// of a kind can answer (400, 401, 413, 415, 500, 503) are added by both from these flags.

export type ResponseContract = { description: string; schema?: z.ZodType; headers?: Readonly<Record<string, string>> };
export type RouteContract = {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  // The OpenAPI path template; app/api mirrors it with [name] folders.
  path: string;
  summary: string;
  description?: string;
  // Seller only: an active session cookie or Authorization: Bearer <SELLER_TOKEN>. A write authenticated by
  // the cookie must also come from the app's own origin (CSRF, 403).
  seller?: boolean;
  // Sets or clears the session cookie (sign-in, sign-out): same-origin only (CSRF, 403), with or without a cookie.
  session?: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  // The dependencies whose outage answers 503 with Retry-After.
  dependencies: readonly DependencyName[];
  responses: Readonly<Record<number, ResponseContract>>;
};

const locationHeader = { Location: 'Where to ask for the outcome.' };

export const apiRoutes = {
  restock: {
    method: 'POST',
    path: '/api/items',
    summary: 'Add an item or restock one (seller)',
    description:
      'The quantity adds to the stock. 202 once the event is durably appended to bps-items-added; the worker applies it shortly after. With a restockId the request is recorded first: the same body again answers as the first and is applied once; another body with the same id is 409.',
    seller: true,
    body: restockBodySchema,
    dependencies: ['database', 'kafka'],
    responses: {
      202: { description: 'Appended.', schema: restockAcceptedSchema },
      409: { description: 'The restockId is already used by a different restock. Nothing was appended.', schema: errorBodySchema },
    },
  },
  listItems: {
    method: 'GET',
    path: '/api/items',
    summary: 'List items with their stock: search, sort, filters and cursor paging',
    description:
      'Keyset paging: when more items follow, the Link header names the next page (the same filters plus a cursor); without Link this is the last page. Archived items are left out unless the seller asks for them.',
    query: itemsQuerySchema,
    dependencies: ['database'],
    responses: {
      200: { description: 'A page of items.', schema: itemsPageSchema, headers: { Link: '</api/items?…&cursor=…>; rel="next"; only when more items follow.' } },
      401: { description: 'archived=include or only without the seller.', schema: errorBodySchema },
    },
  },
  getItem: {
    method: 'GET',
    path: '/api/items/{itemId}',
    summary: 'One item with its stock',
    params: itemPathSchema,
    dependencies: ['database'],
    responses: { 200: { description: 'The item.', schema: itemSchema }, 404: { description: 'No such item.', schema: errorBodySchema } },
  },
  purchase: {
    method: 'POST',
    path: '/api/purchases',
    summary: 'Purchase, optionally waiting for the decision',
    description:
      'Records the request, appends it to bps-purchase-created and, with ?wait=ms, waits for the worker\'s decision. The purchaseId is the idempotency key: the same body again answers as the first; another body with the same id is 409.',
    query: purchaseQuerySchema,
    body: purchaseBodySchema,
    dependencies: ['database', 'kafka'],
    responses: {
      200: { description: 'Decided within the wait.', schema: purchaseResultSchema },
      202: { description: 'Appended, not decided yet.', schema: purchasePendingSchema, headers: locationHeader },
      409: { description: 'The purchaseId is already used by a different purchase.', schema: errorBodySchema },
      429: {
        description: `With ?wait: this client address already holds its share of blocking waits (CLIENT_WAITERS_MAX, default ${limits.clientWaitersMax}, split over the web processes). Nothing was recorded.`,
        schema: errorBodySchema,
        headers: { 'Retry-After': 'Seconds.' },
      },
    },
  },
  getPurchase: {
    method: 'GET',
    path: '/api/purchases/{purchaseId}',
    summary: 'A purchase: its result, or PENDING',
    params: purchasePathSchema,
    dependencies: ['database'],
    responses: { 200: { description: 'The purchase.', schema: purchaseViewSchema }, 404: { description: 'No such purchase.', schema: errorBodySchema } },
  },
  editItem: {
    method: 'PATCH',
    path: '/api/items/{itemId}',
    summary: "Edit an item's title, price, low-stock threshold or archive it (seller)",
    description: "Appends an edit to bps-items-added; the item's partition owner applies it in log order with the item's restocks and purchases, so a purchase decided before it keeps the old price. 202 once appended; stock.changed carries the item when it is applied. An item with no row in the stock view yet is 404 (an edit appended before the item's first restock would change nothing).",
    seller: true,
    params: itemPathSchema,
    body: itemEditBodySchema,
    dependencies: ['database', 'kafka'],
    responses: {
      202: { description: 'Appended.', schema: itemEditAcceptedSchema },
      404: { description: 'No such item (none restocked yet). Nothing was appended.', schema: errorBodySchema },
    },
  },
  lookupPurchases: {
    method: 'GET',
    path: '/api/purchases',
    summary: 'Several purchases and holds by id, in one request ("My purchases")',
    description: 'Each id that is a purchase answers its PurchaseView, each that is a hold its HoldView, tagged by kind; unknown ids are left out. Ids are capabilities: only whoever made them knows them.',
    query: purchaseLookupQuerySchema,
    dependencies: ['database'],
    responses: { 200: { description: 'The known ones, in the order asked.', schema: purchaseLookupSchema } },
  },
  shop: {
    method: 'GET',
    path: '/api/shop',
    summary: "The shop's currency",
    dependencies: [],
    responses: { 200: { description: 'The shop.', schema: shopSchema } },
  },
  salesSummary: {
    method: 'GET',
    path: '/api/sales/summary',
    summary: 'Revenue and units sold, net of refunds (seller)',
    seller: true,
    dependencies: ['database'],
    responses: { 200: { description: 'The summary.', schema: salesSummarySchema } },
  },
  placeHold: {
    method: 'POST',
    path: '/api/holds',
    summary: 'Hold units for a few minutes (book now, pay later), optionally waiting for the decision',
    description: `Records the request, appends a hold command to bps-purchase-created and, with ?wait=ms, waits for the worker's decision: HELD with expiresAt, or FAILED (OUT_OF_STOCK, UNKNOWN_ITEM). While HELD the units leave available and count in held. The holdId is the idempotency key, shared with purchaseIds. Per client address at most HOLDS_PER_CLIENT_MAX active holds (default ${limits.holdsPerClientMax}) of at most HELD_UNITS_PER_CLIENT_MAX units in all (default ${limits.heldUnitsPerClientMax}).`,
    query: purchaseQuerySchema,
    body: holdBodySchema,
    dependencies: ['database', 'kafka'],
    responses: {
      200: { description: 'Decided within the wait.', schema: holdResultSchema },
      202: { description: 'Appended, not decided yet.', schema: holdPendingSchema, headers: locationHeader },
      409: { description: 'The holdId is already used by a different hold or by a purchase. Nothing was appended.', schema: errorBodySchema },
      429: {
        description: 'This client address already has its most active holds or held units (or, with ?wait, its share of blocking waits). Nothing was recorded or appended.',
        schema: errorBodySchema,
        headers: { 'Retry-After': 'Seconds.' },
      },
    },
  },
  getHold: {
    method: 'GET',
    path: '/api/holds/{holdId}',
    summary: 'A hold: its state, or PENDING',
    params: holdPathSchema,
    dependencies: ['database'],
    responses: { 200: { description: 'The hold.', schema: holdViewSchema }, 404: { description: 'No such hold.', schema: errorBodySchema } },
  },
  confirmHold: {
    method: 'POST',
    path: '/api/holds/{holdId}/confirm',
    summary: 'Pay for a hold: its units are sold as the purchase holdId',
    description:
      "Appends a confirm stamped with the API's time. It wins if the hold is HELD and the stamp is no later than expiresAt (CONFIRMED); otherwise it FAILED with HOLD_EXPIRED, HOLD_CANCELLED or HOLD_FAILED. A hold already final is answered from its state without appending anything, so a second confirm answers as the first. On a hold still PENDING the confirm waits with it.",
    params: holdPathSchema,
    query: purchaseQuerySchema,
    dependencies: ['database', 'kafka'],
    responses: {
      200: { description: 'Decided.', schema: confirmResultSchema },
      202: { description: 'Appended (or the hold is not decided yet), not decided within the wait: ask Location.', schema: holdPendingSchema, headers: locationHeader },
      404: { description: 'No such hold. Nothing was appended.', schema: errorBodySchema },
    },
  },
  cancelHold: {
    method: 'POST',
    path: '/api/holds/{holdId}/cancel',
    summary: 'Release a hold: its units return to available',
    description: "CANCELLED, once. On a hold already final the answer is 200 with that state (EXPIRED, CONFIRMED, …) and nothing is appended.",
    params: holdPathSchema,
    query: purchaseQuerySchema,
    dependencies: ['database', 'kafka'],
    responses: {
      200: { description: 'The hold after the cancel.', schema: holdResultSchema },
      202: { description: 'Appended, not decided within the wait: ask Location.', schema: holdPendingSchema, headers: locationHeader },
      404: { description: 'No such hold. Nothing was appended.', schema: errorBodySchema },
    },
  },
  refundPurchase: {
    method: 'POST',
    path: '/api/purchases/{purchaseId}/refund',
    summary: 'Refund a succeeded purchase: its units return to available (seller)',
    description: 'Once: a SUCCEEDED purchase becomes REFUNDED; a repeat answers the same REFUNDED result without appending anything.',
    seller: true,
    params: purchasePathSchema,
    query: purchaseQuerySchema,
    dependencies: ['database', 'kafka'],
    responses: {
      200: { description: 'Refunded.', schema: purchaseResultSchema },
      202: { description: 'Appended, not applied within the wait: ask Location.', schema: refundPendingSchema, headers: locationHeader },
      404: { description: 'No such purchase.', schema: errorBodySchema },
      409: { description: 'The purchase failed or is not decided yet: nothing to refund. Nothing was appended.', schema: errorBodySchema },
    },
  },
  sales: {
    method: 'GET',
    path: '/api/sales',
    summary: 'The newest sales, for refunds (seller)',
    seller: true,
    query: salesQuerySchema,
    dependencies: ['database'],
    responses: { 200: { description: 'The newest succeeded or refunded purchases.', schema: salesSchema } },
  },
  signIn: {
    method: 'POST',
    path: '/api/session',
    summary: 'Seller sign-in: sets the session cookie',
    description:
      'Only from the app\'s own origin (Origin, or Sec-Fetch-Site: same-origin). The session is stored server-side and lasts at most the session TTL.',
    session: true,
    body: signInBodySchema,
    dependencies: ['database'],
    responses: {
      204: {
        description: 'Signed in.',
        headers: { 'Set-Cookie': 'The seller session: HttpOnly, SameSite=Strict; Secure with the __Host- prefix when PUBLIC_URL is https.' },
      },
      401: { description: 'Wrong password.', schema: errorBodySchema },
      429: {
        description: `Sign-in is paused for this address (${limits.signInFailuresMax} failures within ${limits.signInWindowMs / 1000} s) or for the seller account (after ${limits.signInAccountFailuresFree} failures in a row from anywhere, doubling pauses up to ${limits.signInAccountPauseMsMax / 60_000} min). Every attempt meanwhile gets this answer, the right password included; the bearer token and open sessions are not affected.`,
        schema: errorBodySchema,
        headers: { 'Retry-After': 'Seconds.' },
      },
    },
  },
  signOut: {
    method: 'DELETE',
    path: '/api/session',
    summary: 'Seller sign-out: revokes the session and clears its cookie',
    description: "Only from the app's own origin. The session is revoked server-side: its cookie is refused from then on, by every web process.",
    session: true,
    dependencies: ['database'],
    responses: { 204: { description: 'Signed out.', headers: { 'Set-Cookie': 'An expired session cookie.' } } },
  },
  getAudit: {
    method: 'GET',
    path: '/api/audit',
    summary: "The auditor's stored report and the newest full audit job (seller)",
    description: 'Never replays anything: the auditor process keeps the report current incrementally.',
    seller: true,
    dependencies: ['database'],
    responses: { 200: { description: 'The stored report.', schema: storedAuditSchema } },
  },
  startAudit: {
    method: 'POST',
    path: '/api/audit/jobs',
    summary: 'Start a full audit from offset 0 (seller)',
    description: 'Records a job for the auditor process. While one is queued or running, that one is answered instead of a new one.',
    seller: true,
    dependencies: ['database'],
    responses: { 202: { description: 'The job.', schema: auditJobSchema, headers: locationHeader } },
  },
  getAuditJob: {
    method: 'GET',
    path: '/api/audit/jobs/{jobId}',
    summary: 'A full audit job and its progress (seller)',
    seller: true,
    params: auditJobPathSchema,
    dependencies: ['database'],
    responses: { 200: { description: 'The job.', schema: auditJobSchema }, 404: { description: 'No such job.', schema: errorBodySchema } },
  },
  stats: {
    method: 'GET',
    path: '/api/stats',
    summary: 'Decided purchases per time bucket (seller)',
    seller: true,
    query: statsQuerySchema,
    dependencies: ['database'],
    responses: { 200: { description: 'The buckets.', schema: statsSchema } },
  },
  deadLetters: {
    method: 'GET',
    path: '/api/dead-letters',
    summary: 'Input records the worker skipped, newest first (seller)',
    description: 'Records failing the contract, and records PostgreSQL refused with a data or integrity error (SQLSTATE class 22 or 23). Their offsets are passed: the partition goes on.',
    seller: true,
    dependencies: ['database'],
    responses: { 200: { description: 'The newest dead letters.', schema: deadLettersSchema } },
  },
  baselinePurchase: {
    method: 'POST',
    path: '/api/baseline/purchases',
    summary: "The benchmark's row-lock baseline (only with BASELINE_ENABLED=true)",
    body: purchaseBodySchema,
    dependencies: ['database'],
    responses: { 200: { description: 'Decided under the row lock.', schema: baselineResultSchema }, 404: { description: 'The baseline is not enabled.', schema: errorBodySchema } },
  },
  ping: {
    method: 'GET',
    path: '/api/ping',
    summary: 'Liveness of the web process alone (no dependency is asked)',
    description: "Also the benchmark's measure of a trivial Next.js route handler's ceiling on this machine.",
    dependencies: [],
    responses: { 200: { description: 'The process answers.', schema: pingSchema } },
  },
  health: {
    method: 'GET',
    path: '/api/health',
    summary: 'Health of Kafka and the database',
    dependencies: [],
    responses: {
      200: { description: 'Both are up.', schema: healthReportSchema },
      503: { description: 'At least one is down; failing names it.', schema: healthReportSchema },
    },
  },
} as const satisfies Record<string, RouteContract>;
export type ApiRouteName = keyof typeof apiRoutes;
