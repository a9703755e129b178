'use client';
// The shop's currency (GET /api/shop), read once per page: every price the seller types or reads needs it.
// Null until it has arrived; a failed read is tried again on the next socket connect.
import { useCallback, useState } from 'react';
import { fetchShopCurrency } from '@/components/api/api-client';
import { useLoadOnConnect } from '@/components/realtime/socket-provider';
import type { Currency } from './money';

export function useShopCurrency(): Currency | null {
  const [currency, setCurrency] = useState<Currency | null>(null);
  const load = useCallback(async () => {
    const answer = await fetchShopCurrency();
    if (answer.ok) setCurrency({ currency: answer.value.currency, currencyMinorDigits: answer.value.currencyMinorDigits });
  }, []);
  useLoadOnConnect(load);
  return currency;
}
