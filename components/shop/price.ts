// Prices as buyers read them: the one formatter of components/seller/money.ts, and the words for no price.
// Pure, so it is tested without a browser.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import { formatMoney, type Currency } from '../seller/money';

export { formatMoney, type Currency };

// What is shown for an item that has no price yet: it can still be bought, for no charge.
export const noPriceText = 'No price yet';
// A total that cannot be given: the item had no price, or nothing was bought.
export const noTotalText = '—';

export function unitPriceText(unitPrice: number | null, currency: Currency): string {
  return unitPrice === null ? noPriceText : formatMoney(unitPrice, currency);
}

export function totalText(total: number | null, currency: Currency): string {
  return total === null ? noTotalText : formatMoney(total, currency);
}
