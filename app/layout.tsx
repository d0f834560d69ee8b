import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { getNavigation } from '@/lib/blog';
import { FEED_PATH, SITE_DESCRIPTION, SITE_NAME, siteUrl } from '@/lib/site';
import { CacheOverlayToggle } from './_components/cache-overlay';
import { CacheStamp } from './_components/cache-stamp';
import { SectionLinks, SiteNav } from './_components/site-nav';
import './globals.css';

export const metadata: Metadata = {
  // Read at build time for prerendered pages: set SITE_URL when building for a public origin.
  metadataBase: new URL(siteUrl()),
  title: { default: SITE_NAME, template: `%s · ${SITE_NAME}` },
  description: SITE_DESCRIPTION,
  alternates: { types: { 'application/rss+xml': FEED_PATH } },
  // No title or description here: Next fills both from each page's own, and app/opengraph-image.tsx is the image.
  openGraph: { type: 'website', siteName: SITE_NAME, locale: 'en_US' },
  twitter: { card: 'summary_large_image' },
};

/** The navigation's cache stamp, shown in the footer (same cached entry as the header's links). */
async function NavigationStamp() {
  const { stamp } = await getNavigation();
  return <CacheStamp stamp={stamp} />;
}

async function Header() {
  const { data: nav } = await getNavigation();
  return (
    <header className="border-b border-zinc-200 dark:border-zinc-800">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-x-6 gap-y-3 px-4 py-4">
        <Link href="/" className="text-lg font-bold tracking-tight">
          Tagged Cache Blog
        </Link>
        <nav aria-label="Site" className="flex flex-wrap gap-1 text-sm font-medium">
          {/* usePathname is request data: the shell renders the links unmarked, the browser marks the current one. */}
          <Suspense fallback={<SectionLinks />}>
            <SiteNav />
          </Suspense>
        </nav>
      </div>
      <div className="mx-auto max-w-5xl px-4 pb-3">
        <nav aria-label="Categories" className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <span className="text-zinc-500 dark:text-zinc-400">Categories:</span>
          {nav.categories.map((c) => (
            <Link key={c.id} href={`/categories/${c.slug}`} className="text-zinc-600 hover:text-zinc-950 hover:underline dark:text-zinc-300 dark:hover:text-white">
              {c.name}
            </Link>
          ))}
        </nav>
      </div>
    </header>
  );
}

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-white font-sans text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:p-2">
          Skip to content
        </a>
        <Header />
        <main id="main" className="mx-auto max-w-5xl px-4 py-8">
          {children}
        </main>
        <footer className="border-t border-zinc-200 py-6 text-sm text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          <div className="mx-auto flex max-w-5xl flex-wrap gap-4 px-4">
            {/* Plain links: these are XML, not pages, so the router must neither prefetch nor render them. */}
            <a href="/feed.xml" className="hover:underline">RSS feed</a>
            <a href="/sitemap.xml" className="hover:underline">Sitemap</a>
            <Link href="/catalog" className="hover:underline">Catalog</Link>
            <Link href="/cache" className="hover:underline">Cache inspector</Link>
            <Link href="/studio" className="hover:underline">Studio (authors)</Link>
            <CacheOverlayToggle />
            <span>Every region shows when it was cached and which tags it carries.</span>
          </div>
          <div className="mx-auto max-w-5xl px-4">
            <NavigationStamp />
          </div>
        </footer>
      </body>
    </html>
  );
}
