import Link from 'next/link';

export default function ItemNotFound() {
  return (
    <section aria-labelledby="not-found-heading" className="mx-auto max-w-xl py-10 text-center">
      <h1 id="not-found-heading" className="text-2xl font-bold text-slate-900 dark:text-slate-50">
        No such item
      </h1>
      <p className="mt-2 text-slate-600 dark:text-slate-300">The link may be mistyped, or the item was never stocked.</p>
      <p className="mt-4">
        <Link href="/" className="rounded font-semibold text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-indigo-300">
          Browse the shop
        </Link>
      </p>
    </section>
  );
}
