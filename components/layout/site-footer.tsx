import Link from 'next/link';

// Where the story of how the shop works lives, away from the buyer's pages.
export function SiteFooter() {
  return (
    <footer className="border-t border-slate-200 dark:border-slate-800">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-6 text-sm text-slate-600 dark:text-slate-400">
        <p>Book Purchase Streams: never sells a copy twice.</p>
        <nav aria-label="Footer">
          <ul className="flex gap-4">
            <li>
              <Link href="/how-it-works" className="rounded font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-indigo-300">
                How it works
              </Link>
            </li>
            <li>
              <Link href="/purchases" className="rounded font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-indigo-300">
                My purchases
              </Link>
            </li>
          </ul>
        </nav>
      </div>
    </footer>
  );
}
