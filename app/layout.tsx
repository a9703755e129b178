import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { SiteFooter } from '@/components/layout/site-footer';
import { SiteHeader } from '@/components/layout/site-header';
import { mainContentId, SkipLink } from '@/components/layout/skip-link';
import { SocketProvider } from '@/components/realtime/socket-provider';
import { CurrencyProvider } from '@/components/shop/currency';
import { ToastProvider } from '@/components/toast/toast-region';
import { webServices } from '@/server/web-services';
import './globals.css';

export const metadata: Metadata = {
  title: 'Book Purchase Streams',
  description: 'Buy books as they come in: live stock, prices, and never a copy sold twice.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#0f172a' },
  ],
};

// Every page is rendered per request: its scripts carry that request's CSP nonce (server/http/security-headers.ts),
// and a page prerendered at build time would carry none, so the browser would refuse its scripts.
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: ReactNode }) {
  // The shop's currency, as GET /api/shop answers it: every page formats prices without asking for it.
  const { currency, currencyMinorDigits } = webServices().shop;
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <SkipLink />
        <SocketProvider>
          <CurrencyProvider currency={{ currency, currencyMinorDigits }}>
            <ToastProvider>
              <div className="flex min-h-screen flex-col">
                <SiteHeader />
                <main id={mainContentId} tabIndex={-1} className="mx-auto w-full max-w-5xl flex-1 px-4 py-6 focus:outline-none sm:py-8">
                  {children}
                </main>
                <SiteFooter />
              </div>
            </ToastProvider>
          </CurrencyProvider>
        </SocketProvider>
      </body>
    </html>
  );
}
