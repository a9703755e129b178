'use client';
// The shop's currency for every price on a page. The root layout reads it on the server (the web process's
// config, the same answer as GET /api/shop) and hands it down, so no page waits for a request to show a price.
import { createContext, useContext, type ReactNode } from 'react';
import type { Currency } from './price';

const CurrencyContext = createContext<Currency>({ currency: 'EUR', currencyMinorDigits: 2 });

export function CurrencyProvider({ currency, children }: { currency: Currency; children: ReactNode }) {
  return <CurrencyContext.Provider value={currency}>{children}</CurrencyContext.Provider>;
}

export function useCurrency(): Currency {
  return useContext(CurrencyContext);
}
