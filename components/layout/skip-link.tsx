// The first focusable element of every page: keyboard users jump past the header to the page's content.
// Visible when focused, as WCAG 2.4.1 and 2.4.7 ask.
export const mainContentId = 'main-content';

export function SkipLink() {
  return (
    <a
      href={`#${mainContentId}`}
      className="sr-only z-50 rounded-md bg-indigo-700 px-4 py-2 text-sm font-semibold text-white focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:outline-2 focus:outline-offset-2 focus:outline-indigo-300"
    >
      Skip to content
    </a>
  );
}
