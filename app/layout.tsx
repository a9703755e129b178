import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { SiteHeader } from '@/components/layout/site-header';
import { SocketProvider } from '@/components/realtime/socket-provider';
import './globals.css';

export const metadata: Metadata = {
  title: 'Book Purchase Streams',
  description: 'Sellers restock, buyers race for the last unit, and nothing is ever over-sold.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

// Every page is rendered per request: its scripts carry that request's CSP nonce (server/http/security-headers.ts),
// and a page prerendered at build time would carry none, so the browser would refuse its scripts.
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <SocketProvider>
          <SiteHeader />
          <main className="mx-auto max-w-5xl px-4 py-6 sm:py-8">{children}</main>
        </SocketProvider>
      </body>
    </html>
  );
}
