import type { Metadata } from 'next';
import { MyPurchases } from '@/components/purchases/my-purchases';

export const metadata: Metadata = {
  title: 'My purchases · Book Purchase Streams',
  description: 'What you bought or reserved in this browser, with live status and totals.',
};

export default function PurchasesPage() {
  return <MyPurchases />;
}
