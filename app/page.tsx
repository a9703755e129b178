import { Shop } from '@/components/shop/shop';

export default function ShopPage() {
  return <Shop />;
}
