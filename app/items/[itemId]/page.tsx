import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ItemPage } from '@/components/shop/item-page';
import { itemName } from '@/components/shop/stock';
import { unitPriceText } from '@/components/shop/price';
import { itemIdSchema, type Item } from '@/server/contract';
import { webServices } from '@/server/web-services';

type Props = { params: Promise<{ itemId: string }> };

// An id that could never be an item is a 404 without asking the database. Archived items keep their page,
// so that links to them still work; the page says they are no longer sold.
async function findItem(itemId: string): Promise<Item | undefined> {
  const parsed = itemIdSchema.safeParse(itemId);
  return parsed.success ? webServices().findItem(parsed.data) : undefined;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const item = await findItem((await params).itemId);
  if (!item) return { title: 'Item not found · Book Purchase Streams' };
  const title = itemName(item);
  const price = unitPriceText(item.unitPrice, webServices().shop);
  const description = item.archived ? `${title}: no longer sold.` : `${title}: ${price}. Live stock; buy it or reserve it and pay later.`;
  return { title: `${title} · Book Purchase Streams`, description, openGraph: { title, description, type: 'website' } };
}

export default async function ItemRoute({ params }: Props) {
  const item = await findItem((await params).itemId);
  if (!item) notFound();
  return <ItemPage initialItem={item} />;
}
