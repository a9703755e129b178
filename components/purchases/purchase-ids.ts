// The ids of this browser's own purchases and holds, newest first, as "My purchases" keeps them: only the
// ids (the server has the rest, GET /api/purchases?ids=), at most purchaseLookupIdsMax, so that one request
// reads them all. Pure list handling; purchase-ids-storage.ts keeps the list in localStorage.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import { purchaseIdSchema } from '../../server/contract';
import { limits } from '../../server/limits';

// title: the item's title when the purchase was sent, so the list can name it without asking for every item.
export type KeptId = { id: string; kind: 'purchase' | 'hold'; title?: string };

const titleLengthMax = 200;

export const keptIdsMax = limits.purchaseLookupIdsMax;

// The new id goes first; an id sent again (a retry) moves to the front instead of appearing twice; the
// oldest beyond keptIdsMax are dropped.
export function withKeptId(kept: readonly KeptId[], added: KeptId): KeptId[] {
  return [added, ...kept.filter((entry) => entry.id !== added.id)].slice(0, keptIdsMax);
}

// Whatever storage holds is read defensively: another version of the page, or a person, may have written it.
export function parseKeptIds(text: string | null): KeptId[] {
  if (text === null) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  const kept: KeptId[] = [];
  const seen = new Set<string>();
  for (const entry of value) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { id, kind, title } = entry as { id?: unknown; kind?: unknown; title?: unknown };
    if (typeof id !== 'string' || !purchaseIdSchema.safeParse(id).success || seen.has(id)) continue;
    if (kind !== 'purchase' && kind !== 'hold') continue;
    seen.add(id);
    kept.push(typeof title === 'string' && title !== '' ? { id, kind, title: title.slice(0, titleLengthMax) } : { id, kind });
    if (kept.length >= keptIdsMax) break;
  }
  return kept;
}
