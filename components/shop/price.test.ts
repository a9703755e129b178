// Goal: prices read as people expect in the shop's currency, and a missing price or total says so instead of showing 0.
import { describe, expect, it } from 'vitest';
import { formatMoney, noPriceText, noTotalText, totalText, unitPriceText } from './price';

const euro = { currency: 'EUR', currencyMinorDigits: 2 };
const yen = { currency: 'JPY', currencyMinorDigits: 0 };

describe('formatMoney', () => {
  it('given cents, shows euros with two decimals', () => {
    expect(formatMoney(1250, euro)).toBe('€12.50');
    expect(formatMoney(0, euro)).toBe('€0.00');
    expect(formatMoney(123456789, euro)).toBe('€1,234,567.89');
  });

  it('given a currency without minor units, shows whole amounts', () => {
    expect(formatMoney(1250, yen)).toBe('¥1,250');
  });
});

describe('unitPriceText and totalText', () => {
  it('given no price, say so rather than show a zero', () => {
    expect(unitPriceText(null, euro)).toBe(noPriceText);
    expect(totalText(null, euro)).toBe(noTotalText);
  });

  it('given a price of zero, show it: free is a price', () => {
    expect(unitPriceText(0, euro)).toBe('€0.00');
    expect(totalText(0, euro)).toBe('€0.00');
  });
});
