// Checks on what arrives from the server (HTTP answers and socket events) before the UI relies on it.
import type { ItemStock } from '@/server/domain/purchase';
import type { PurchaseResult } from '@/server/kafka/messages';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

export function isItem(value: unknown): value is ItemStock {
  return (
    isRecord(value) &&
    typeof value.itemId === 'string' &&
    typeof value.description === 'string' &&
    isCount(value.restocked) &&
    isCount(value.sold) &&
    isCount(value.available)
  );
}

export function isPurchaseResult(value: unknown): value is PurchaseResult {
  if (!isRecord(value)) return false;
  const shared =
    typeof value.purchaseId === 'string' &&
    typeof value.itemId === 'string' &&
    typeof value.purchasedBy === 'string' &&
    typeof value.decidedAt === 'string' &&
    isCount(value.quantity) &&
    isCount(value.remaining);
  if (!shared) return false;
  if (value.status === 'SUCCEEDED') return value.reason === null;
  return value.status === 'FAILED' && (value.reason === 'OUT_OF_STOCK' || value.reason === 'UNKNOWN_ITEM');
}
