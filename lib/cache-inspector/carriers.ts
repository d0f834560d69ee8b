// Which cached functions carry which tags, and the pages that show them: the "carried by" column of /cache.
// Each function lists example tags, matched to the vocabulary's patterns; tests/unit/cache-inspector.test.ts
// checks that every pattern has a carrier and that this list names only real patterns. The blog's reads are
// derived: lib/blog.ts tags its entries with lib/cache/blog-tags.ts, and the rows below call the same functions
// with example rows (a found entity and a missing one). The other rows are kept by hand, built with the
// vocabulary's builders: a tag added to one of those functions' `tagged(…)` calls belongs here too.
import { blogTags } from '../cache/blog-tags';
import { tags, tagVocabulary } from '../cache/tags';

export interface Carrier {
  /** The cached function or component (`'use cache'`; getAllStock: the fetch cache), as `file#name`. */
  fn: string;
  /** The routes that render it. */
  pages: string[];
  /** Tags it carries, built with the vocabulary (one example per pattern is enough). */
  carries: string[];
}

// One example of each kind of row, as the blog's reads find them.
const post = { id: 1, author: { id: 1 }, category: { slug: 'example' }, topics: [{ slug: 'example' }] };
const found = { id: 1, posts: [post] };
/** What a function carries over all its outcomes (found, missing). */
const either = (...outcomes: string[][]) => [...new Set(outcomes.flat())];

export const carriers: Carrier[] = [
  { fn: 'lib/blog.ts#getLatestPosts', pages: ['/', '/archive/[cursor]'], carries: either(blogTags.latestPosts([post]), blogTags.latestPosts(null)) },
  { fn: 'lib/blog.ts#getPost', pages: ['/posts/[slug]'], carries: either(blogTags.post('example', post), blogTags.post('example', null)) },
  {
    fn: 'lib/blog.ts#getCategoryPosts',
    pages: ['/categories/[slug]'],
    carries: either(blogTags.categoryPosts('example', found), blogTags.categoryPosts('example', null)),
  },
  { fn: 'lib/blog.ts#getAuthorPosts', pages: ['/authors/[slug]'], carries: either(blogTags.authorPosts(found), blogTags.authorPosts(null)) },
  {
    fn: 'lib/blog.ts#getTopicPosts',
    pages: ['/topics/[slug]'],
    carries: either(blogTags.topicPosts('example', found), blogTags.topicPosts('example', null)),
  },
  { fn: 'lib/blog.ts#getNavigation', pages: ['every page (header and footer)'], carries: blogTags.navigation([post.category]) },
  { fn: 'lib/blog.ts#getFeedPosts', pages: ['/feed.xml'], carries: blogTags.feed([post]) },
  { fn: 'lib/blog.ts#getSitemapEntries', pages: ['/sitemap.xml'], carries: blogTags.sitemap() },
  { fn: 'lib/catalog.ts#getProducts', pages: ['/catalog', '/catalog/[sku]', '/sitemap.xml'], carries: [tags.content, tags.products, tags.product('EXAMPLE')] },
  { fn: 'lib/catalog.ts#getProduct', pages: ['/catalog/[sku]'], carries: [tags.content, tags.product('EXAMPLE'), tags.products] },
  { fn: 'app/catalog/product-card.tsx#ProductCard', pages: ['/catalog/[sku]'], carries: [tags.content, tags.product('EXAMPLE'), tags.products] },
  { fn: 'lib/inventory.ts#getStock', pages: ['/catalog/[sku]'], carries: [tags.product('EXAMPLE'), tags.inventory] },
  { fn: 'lib/inventory.ts#getAllStock', pages: ['/catalog'], carries: [tags.inventory, tags.product('EXAMPLE')] },
  { fn: 'lib/studio/data.ts#getStudioPosts', pages: ['/studio'], carries: [tags.content, tags.studio, tags.studioAuthor(1), tags.post(1)] },
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
