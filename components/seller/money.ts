// Prices as the seller types and reads them. The API keeps integer minor units of the shop's one currency
// (GET /api/shop: EUR with 2 minor digits, JPY with 0); the seller types the major unit ("12.50") and reads it
// formatted by Intl.NumberFormat. Pure, so it is tested without a browser.
// Relative imports: this module is unit-tested, and vitest does not resolve the '@/' alias.
import type { Shop } from '../../server/contract';
import { limits } from '../../server/limits';

export type Currency = Pick<Shop, 'currency' | 'currencyMinorDigits'>;

// One formatter per currency: building one is costly, and the dashboard formats hundreds of figures.
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

// What a price field shows for a price in minor units: the major unit with its fixed digits, no symbol.
export function majorUnitText(minorUnits: number, currency: Currency): string {
  return (minorUnits / 10 ** currency.currencyMinorDigits).toFixed(currency.currencyMinorDigits);
}

export type ParsedPrice = { ok: true; minorUnits: number } | { ok: false; error: string };

// A typed price in the major unit: digits, optionally a point (or a comma) and at most the currency's minor
// digits. Read from the digits as text, never through floating point, so "0.29" is exactly 29 cents.
export function parsePrice(text: string, currency: Currency): ParsedPrice {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return { ok: false, error: 'Enter a price.' };
  const digits = currency.currencyMinorDigits;
  const pattern = digits === 0 ? /^(\d{1,12})$/ : new RegExp(`^(\\d{1,12})(?:\\.(\\d{1,${digits}}))?$`);
  const match = pattern.exec(trimmed);
  const largest = formatMoney(limits.unitPriceMax, currency);
  const shape = digits === 0 ? 'a whole number' : `a number with at most ${digits} decimal ${digits === 1 ? 'place' : 'places'}`;
  if (match === null) return { ok: false, error: `Enter ${shape}, such as ${majorUnitText(1250 * 10 ** Math.max(0, digits - 2), currency)}.` };
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(digits, '0') || '0');
  const minorUnits = whole * 10 ** digits + fraction;
  if (minorUnits > limits.unitPriceMax) return { ok: false, error: `At most ${largest}.` };
  return { ok: true, minorUnits };
}
