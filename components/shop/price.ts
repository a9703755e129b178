// Prices as buyers read them. The API keeps integer minor units of the shop's one currency (GET /api/shop:
// EUR with 2 minor digits, JPY with 0), shown here through Intl.NumberFormat. Pure, so it is tested without a
// browser.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import type { Shop } from '../../server/contract';

export type Currency = Pick<Shop, 'currency' | 'currencyMinorDigits'>;

// What is shown for an item that has no price yet: it can still be bought, for no charge.
export const noPriceText = 'No price yet';
// A total that cannot be given: the item had no price, or nothing was bought.
export const noTotalText = '—';

// One formatter per currency: building one is costly, and a page formats a price per card.
const formatters = new Map<string, Intl.NumberFormat>();

export function formatMoney(minorUnits: number, currency: Currency): string {
  const key = `${currency.currency}:${currency.currencyMinorDigits}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: currency.currency,
      minimumFractionDigits: currency.currencyMinorDigits,
      maximumFractionDigits: currency.currencyMinorDigits,
    });
    formatters.set(key, formatter);
  }
  return formatter.format(minorUnits / 10 ** currency.currencyMinorDigits);
}

export function unitPriceText(unitPrice: number | null, currency: Currency): string {
  return unitPrice === null ? noPriceText : formatMoney(unitPrice, currency);
}

export function totalText(total: number | null, currency: Currency): string {
  return total === null ? noTotalText : formatMoney(total, currency);
}
