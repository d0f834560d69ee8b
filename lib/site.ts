import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import type { Cached } from './cache/tagged';
import { cursorFromSegments } from './list-route';
import { cursorParam, slugParam } from './route-params';

export const SITE_NAME = 'Tagged Cache Blog';
export const SITE_DESCRIPTION =
  'A Next.js 16 reference blog: every read cached with tags, every write invalidating exactly those tags.';
export const FEED_PATH = '/feed.xml';

/**
 * A 404's title and description. not-found.tsx exports them, but a page that calls notFound() while rendering keeps
 * the metadata its own generateMetadata returned: so that returns this too when the thing does not exist.
 */
export const NOT_FOUND_METADATA = {
  title: 'Page not found',
  description: 'There is nothing published at this address.',
} satisfies Metadata;

/** The public origin used in absolute URLs (feed, sitemap, robots.txt, canonical links). */
export function siteUrl(): string {
  return (process.env.SITE_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
}

/**
 * A public page's own title, description and canonical URL (a path: the layout's metadataBase makes it absolute).
 * Metadata merges shallowly, so `alternates` here replaces the layout's: the feed link is repeated. Open Graph and
 * Twitter are left to the layout, which fills their title and description from these.
 */
export function pageMetadata({ path, title, description }: { path: string; title?: string; description?: string }): Metadata {
  return {
    ...(title && { title }),
    ...(description && { description }),
    alternates: { canonical: path, types: { 'application/rss+xml': FEED_PATH } },
  };
}

/**
 * A category's, author's or topic's page: the params checked as ListPage checks them, then the SAME cached read
 * with the same arguments, so the page and its metadata share one cache entry (no query of their own).
 * Older pages have URLs of their own, so their own canonical link and a title that says so.
 */
export async function listMetadata({
  basePath,
  kind,
  params,
  load,
  describe,
}: {
  basePath: string;
  kind: 'category' | 'author' | 'topic';
  params: Promise<{ slug: string; cursor?: string[] }>;
  load: (slug: string, cursor: string | null) => Promise<Cached<{ title: string; description: string } | null>>;
  /** The description when the entity has none of its own. */
  describe: (title: string) => string;
}): Promise<Metadata> {
  const { slug: rawSlug, cursor: segments } = await params;
  const slug = slugParam(rawSlug, kind);
  const rawCursor = cursorFromSegments(segments);
  if (rawCursor === undefined) notFound();
  const cursor = rawCursor === null ? null : cursorParam(rawCursor);
  const { data } = await load(slug, cursor);
  if (!data) return NOT_FOUND_METADATA;
  return pageMetadata({
    path: `${basePath}/${slug}${cursor ? `/${cursor}` : ''}`,
    title: cursor ? `${data.title}: older posts` : data.title,
    description: data.description || describe(data.title),
  });
}
