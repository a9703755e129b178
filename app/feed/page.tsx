import type { Metadata } from 'next';
import { LiveFeed } from '@/components/feed/live-feed';

export const metadata: Metadata = { title: 'Live feed · Book Purchase Streams' };

export default function FeedPage() {
  return <LiveFeed />;
}
