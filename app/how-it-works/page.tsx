import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';

export const metadata: Metadata = {
  title: 'How it works · Book Purchase Streams',
  description: 'Why no copy is ever sold twice: every order of an item is decided in turn from a log, without locks.',
};

// The architecture story, for the curious: the buyer pages keep to plain words and link here from the footer.
export default function HowItWorksPage() {
  return (
    <article aria-labelledby="how-heading" className="mx-auto max-w-2xl">
      <h1 id="how-heading" className="text-3xl font-bold tracking-tight text-slate-900 dark:text-slate-50">
        How it works
      </h1>
      <p className="mt-3 text-lg text-slate-600 dark:text-slate-300">
        However many people click Buy on the last copy at once, exactly one gets it, and everyone else is told at once.
        Here is how, without a single lock.
      </p>
      <Section title="Every order goes into a log">
        Restocks, purchases, reservations and refunds are appended to Apache Kafka topics. Each item always lands in the
        same partition of those topics, so all of an item&apos;s orders form one ordered line.
      </Section>
      <Section title="One decider per item">
        A worker process owns each partition: it is the single writer for the items in it. It takes the orders in log
        order and decides each against the item&apos;s stock in PostgreSQL, in one transaction per batch together with
        the position it has read up to. A crash replays from that position, and a replayed order changes nothing.
      </Section>
      <Section title="Results come back live">
        Each decision is written to an outbox in the same transaction and relayed to a results topic. The web servers
        follow that topic and push every result to open pages over a websocket (socket.io), so cards, the live feed and
        &quot;My purchases&quot; change the moment something is decided.
      </Section>
      <Section title="Prices are fixed when decided">
        A purchase records its unit price and total when it is decided, and a reservation fixes its price when it is
        placed, so a later price change never alters what someone already bought.
      </Section>
      <Section title="Checked, all the time">
        An auditor replays both Kafka topics and compares them with the database: no item is ever over-sold, every
        reservation ends once, and every refund matches one sale.
      </Section>
      <p className="mt-8 text-sm text-slate-600 dark:text-slate-400">
        The design in full is in docs/ARCHITECTURE.md of the project. Back to the{' '}
        <Link href="/" className="font-medium text-indigo-700 underline dark:text-indigo-300">
          shop
        </Link>
        .
      </p>
    </article>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="mt-8">
      <h2 className="text-xl font-semibold text-slate-900 dark:text-slate-50">{title}</h2>
      <p className="mt-2 leading-relaxed text-slate-700 dark:text-slate-300">{children}</p>
    </section>
  );
}
