// Goal: prices typed in the major unit become exact minor units, and minor units read back as money.
import { describe, expect, it } from 'vitest';
import { limits } from '../../server/limits';
import { formatMoney, majorUnitText, parsePrice } from './money';

const euro = { currency: 'EUR', currencyMinorDigits: 2 };
const yen = { currency: 'JPY', currencyMinorDigits: 0 };

describe('parsePrice', () => {
  it('reads euros and cents exactly, without floating-point drift', () => {
    expect(parsePrice('12.50', euro)).toEqual({ ok: true, minorUnits: 1250 });
    expect(parsePrice('0.29', euro)).toEqual({ ok: true, minorUnits: 29 });
    expect(parsePrice('7', euro)).toEqual({ ok: true, minorUnits: 700 });
    expect(parsePrice('7.5', euro)).toEqual({ ok: true, minorUnits: 750 });
    expect(parsePrice(' 3,99 ', euro)).toEqual({ ok: true, minorUnits: 399 });
    expect(parsePrice('0', euro)).toEqual({ ok: true, minorUnits: 0 });
  });

  it('reads a currency without minor units as whole numbers', () => {
    expect(parsePrice('1500', yen)).toEqual({ ok: true, minorUnits: 1500 });
    expect(parsePrice('15.5', yen).ok).toBe(false);
  });

  it('refuses what is not a price, saying what is wanted', () => {
    for (const text of ['', '   ', '-1', '1.234', 'abc', '1e3', '1.2.3', '.5', '0x10', '١٢']) {
      const parsed = parsePrice(text, euro);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/^Enter /);
    }
  });

  it('refuses a price above the largest the API accepts, and takes the largest itself', () => {
    expect(parsePrice(majorUnitText(limits.unitPriceMax, euro), euro)).toEqual({ ok: true, minorUnits: limits.unitPriceMax });
    const over = parsePrice(majorUnitText(limits.unitPriceMax + 1, euro), euro);
    expect(over).toEqual({ ok: false, error: 'At most €1,000,000.00.' });
  });
});

describe('formatMoney and majorUnitText', () => {
  it('format minor units in the currency', () => {
    expect(formatMoney(1250, euro)).toBe('€12.50');
    expect(formatMoney(0, euro)).toBe('€0.00');
    expect(formatMoney(1500, yen)).toBe('¥1,500');
    expect(majorUnitText(1250, euro)).toBe('12.50');
    expect(majorUnitText(1500, yen)).toBe('1500');
  });

  it('round-trip: every formatted field reads back as the same minor units', () => {
    for (const minorUnits of [0, 1, 9, 10, 99, 100, 101, 1999, 123456, limits.unitPriceMax]) {
      expect(parsePrice(majorUnitText(minorUnits, euro), euro)).toEqual({ ok: true, minorUnits });
    }
  });
});
