import type { Metadata } from 'next';
import { Shop } from '@/components/shop/shop';

export const metadata: Metadata = {
  title: 'Shop · Book Purchase Streams',
  description: 'Books for sale with live stock and prices: search, sort, buy now or reserve and pay later.',
};

export default function ShopPage() {
  return <Shop />;
}
