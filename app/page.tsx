import { ConnectionStatus } from '@/components/realtime/connection-status';

export default function HomePage() {
  return (
    <main className="mx-auto max-w-3xl px-4 py-10">
      <header className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Book Purchase Streams</h1>
        <ConnectionStatus />
      </header>
      <p className="mt-4 text-slate-600">
        Sellers restock items, buyers race for the last unit, and no item is ever over-sold: every purchase is decided
        in order by the single writer of its item&apos;s Kafka partition.
      </p>
    </main>
  );
}
