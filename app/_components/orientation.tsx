import Link from 'next/link';

/** The home page's "what is this": what the app demonstrates and where to see each part. Static text, no data. */
export function Orientation() {
  const parts = [
    { href: '/studio', title: 'Studio', text: 'Sign in as an author and edit a post: the change invalidates exactly the tags it touches.' },
    { href: '/cache', title: 'Cache inspector', text: 'Every tag, its state, and each invalidation: who sent it, when, and with which mode.' },
    { href: '/catalog', title: 'Catalog', text: 'Prices from an external inventory service, cached and refreshed by its signed webhook.' },
  ];
  return (
    <section aria-labelledby="about-heading" className="mb-10 rounded-lg border border-zinc-200 bg-zinc-50 p-5 dark:border-zinc-800 dark:bg-zinc-900">
      <h2 id="about-heading" className="text-lg font-semibold tracking-tight">
        A reference app for tagged caching in Next.js 16
      </h2>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-300">
        Every page here is served from a cache. Each cached region says when it was computed and which tags it carries
        (<em>Show cache overlay</em>, in the footer, outlines them); each write refreshes only the regions whose tags
        it changes, and nothing else.
      </p>
      <ul className="mt-4 grid gap-3 sm:grid-cols-3">
        {parts.map((p) => (
          <li key={p.href}>
            <Link href={p.href} className="block h-full rounded-md border border-zinc-200 bg-white p-3 text-sm hover:border-zinc-400 dark:border-zinc-700 dark:bg-zinc-950 dark:hover:border-zinc-500">
              <span className="font-medium">{p.title} →</span>
              {/* On a phone the titles alone, so the first posts still show on the first screen. */}
              <span className="mt-1 hidden text-zinc-600 sm:block dark:text-zinc-400">{p.text}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
