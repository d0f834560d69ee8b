// Which cached functions carry which tags, and the pages that show them: the "carried by" column of /cache.
// Each function lists example tags built with the vocabulary's own builders (never spelled by hand); they are
// matched to the vocabulary's patterns, and tests/unit/cache-inspector.test.ts checks that every pattern has a
// carrier and that this list names only real patterns. Keep it next to the functions' `tagged(…)` calls in mind:
// a tag added there belongs here too.
import { postListTags, tags, tagVocabulary } from '../cache/tags';

export interface Carrier {
  /** The cached function or component (`'use cache'`; getAllStock: the fetch cache), as `file#name`. */
  fn: string;
  /** The routes that render it. */
  pages: string[];
  /** Tags it carries, built with the vocabulary (one example per pattern is enough). */
  carries: string[];
}

// One example row of each kind, for the tags a list of posts carries (lib/cache/tags.ts, postListTags).
const listRows = postListTags([{ id: 1, author: { id: 1 }, category: { slug: 'example' } }]);

export const carriers: Carrier[] = [
  { fn: 'lib/blog.ts#getLatestPosts', pages: ['/', '/archive/[cursor]'], carries: [tags.posts, tags.content, ...listRows] },
  {
    fn: 'lib/blog.ts#getPost',
    pages: ['/posts/[slug]'],
    carries: [tags.content, tags.postSlug('example'), tags.post(1), tags.author(1), tags.category('example'), tags.topic('example')],
  },
  {
    fn: 'lib/blog.ts#getCategoryPosts',
    pages: ['/categories/[slug]'],
    carries: [tags.category('example'), tags.postsInCategory('example'), tags.categories, tags.content, ...listRows],
  },
  {
    fn: 'lib/blog.ts#getAuthorPosts',
    pages: ['/authors/[slug]'],
    carries: [tags.author(1), tags.postsByAuthor(1), tags.authors, tags.content, ...listRows],
  },
  {
    fn: 'lib/blog.ts#getTopicPosts',
    pages: ['/topics/[slug]'],
    carries: [tags.topic('example'), tags.postsWithTopic('example'), tags.topics, tags.content, ...listRows],
  },
  {
    fn: 'lib/blog.ts#getNavigation',
    pages: ['every page (header and footer)'],
    carries: [tags.content, tags.categories, tags.authors, tags.topics, tags.category('example')],
  },
  { fn: 'lib/blog.ts#getFeedPosts', pages: ['/feed.xml'], carries: [tags.posts, tags.content, ...listRows] },
  { fn: 'lib/blog.ts#getSitemapEntries', pages: ['/sitemap.xml'], carries: [tags.content, tags.posts, tags.categories, tags.authors, tags.topics] },
  { fn: 'lib/catalog.ts#getProducts', pages: ['/catalog', '/catalog/[sku]', '/sitemap.xml'], carries: [tags.content, tags.products, tags.product('EXAMPLE')] },
  { fn: 'lib/catalog.ts#getProduct', pages: ['/catalog/[sku]'], carries: [tags.content, tags.product('EXAMPLE'), tags.products] },
  { fn: 'app/catalog/product-card.tsx#ProductCard', pages: ['/catalog/[sku]'], carries: [tags.content, tags.product('EXAMPLE'), tags.products] },
  { fn: 'lib/inventory.ts#getStock', pages: ['/catalog/[sku]'], carries: [tags.product('EXAMPLE'), tags.inventory] },
  { fn: 'lib/inventory.ts#getAllStock', pages: ['/catalog'], carries: [tags.inventory, tags.product('EXAMPLE')] },
  { fn: 'lib/studio/data.ts#getStudioPosts', pages: ['/studio'], carries: [tags.content, tags.studio, tags.studioAuthor(1), tags.post(1)] },
  { fn: 'lib/cache-log.ts#getRevalidationLog', pages: ['/cache'], carries: [tags.revalidations] },
];

/** The vocabulary pattern a tag belongs to, or null for a tag the app does not use (Next's own `_N_T_` path tags). */
export function patternOf(tag: string): string | null {
  return tagVocabulary.find((entry) => entry.match.test(tag))?.pattern ?? null;
}

/** The carriers of each vocabulary pattern. */
export function carriersByPattern(): Map<string, Carrier[]> {
  const byPattern = new Map<string, Carrier[]>(tagVocabulary.map((entry) => [entry.pattern, []]));
  for (const carrier of carriers) {
    const patterns = new Set(carrier.carries.map(patternOf));
    for (const pattern of patterns) if (pattern !== null) byPattern.get(pattern)?.push(carrier);
  }
  return byPattern;
}
