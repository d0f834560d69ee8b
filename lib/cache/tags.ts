// The tag vocabulary: the only place a cache tag string is spelled out. Everything that tags a cache
// entry (cacheTag) or invalidates one (updateTag, revalidateTag, the webhook) goes through these builders,
// so a typo can't silently create a tag nobody ever invalidates.

/** Next.js keeps at most 256 characters per tag and 128 tags per entry; it drops the rest with only a warning. */
export const MAX_TAG_LENGTH = 256;
export const MAX_TAGS_PER_ENTRY = 128;

export class InvalidTagError extends Error {}

const key = (value: string | number) => {
  const text = String(value);
  if (text.length === 0) throw new InvalidTagError('A tag key must not be empty');
  return text;
};

/** The tag builders. What each tag covers is said once, in tagVocabulary below (the /cache page shows it too). */
export const tags = {
  content: 'content',
  posts: 'posts',
  postsInCategory: (slug: string) => `posts:category:${key(slug)}`,
  postsByAuthor: (id: number) => `posts:author:${key(id)}`,
  postsWithTopic: (slug: string) => `posts:topic:${key(slug)}`,
  post: (id: number) => `post:${key(id)}`,
  postSlug: (slug: string) => `post-slug:${key(slug)}`,
  categories: 'categories',
  category: (slug: string) => `category:${key(slug)}`,
  authors: 'authors',
  author: (id: number) => `author:${key(id)}`,
  topics: 'topics',
  topic: (slug: string) => `topic:${key(slug)}`,
  inventory: 'inventory',
  product: (sku: string) => `product:${key(sku)}`,
  products: 'products',
  studio: 'studio',
  studioAuthor: (id: number) => `studio:author:${key(id)}`,
} as const;

const SLUG = '[a-z0-9]+(?:-[a-z0-9]+)*';
const ID = '[1-9][0-9]{0,9}';
const SKU = '[A-Z0-9]+(?:-[A-Z0-9]+)*';

/** Every tag the app uses: its shape, a pattern that recognises it, and what it covers. */
export const tagVocabulary: { pattern: string; match: RegExp; meaning: string }[] = [
  { pattern: tags.content, match: /^content$/, meaning: "everything built from our database: every public page and the studio, not the inventory service's figures (sent by the seed after it replaces every row, including ones only a cached 404 knew about)" },
  { pattern: tags.posts, match: /^posts$/, meaning: 'the site-wide lists of posts: home, archive pages, feed, sitemap' },
  { pattern: 'posts:category:<slug>', match: new RegExp(`^posts:category:${SLUG}$`), meaning: 'the list of published posts in one category' },
  { pattern: 'posts:author:<id>', match: new RegExp(`^posts:author:${ID}$`), meaning: 'the list of published posts by one author' },
  { pattern: 'posts:topic:<slug>', match: new RegExp(`^posts:topic:${SLUG}$`), meaning: 'the list of published posts with one topic' },
  { pattern: 'post:<id>', match: new RegExp(`^post:${ID}$`), meaning: 'one post: its page, and its title and excerpt on every list (home, archive, category, author and topic pages, the feed); the sitemap lists only URLs and follows posts' },
  { pattern: 'post-slug:<slug>', match: new RegExp(`^post-slug:${SLUG}$`), meaning: 'the lookup of a post by its URL, including a 404 for that URL' },
  { pattern: tags.categories, match: /^categories$/, meaning: 'the list of categories (navigation)' },
  { pattern: 'category:<slug>', match: new RegExp(`^category:${SLUG}$`), meaning: 'one category: its page, and its name in the navigation, on posts and on every list' },
  { pattern: tags.authors, match: /^authors$/, meaning: 'the list of authors' },
  { pattern: 'author:<id>', match: new RegExp(`^author:${ID}$`), meaning: 'one author: their page, and their name on every post, list and the feed' },
  { pattern: tags.topics, match: /^topics$/, meaning: 'the list of topics' },
  { pattern: 'topic:<slug>', match: new RegExp(`^topic:${SLUG}$`), meaning: 'one topic: its page, and its name on posts and in the navigation' },
  { pattern: tags.products, match: /^products$/, meaning: 'the catalog list of products (descriptions from our database)' },
  { pattern: 'product:<sku>', match: new RegExp(`^product:${SKU}$`), meaning: 'one product: its name, description, price and stock, on its page and in the catalog list' },
  { pattern: tags.inventory, match: /^inventory$/, meaning: 'every price and stock figure from the inventory service' },
  { pattern: tags.studio, match: /^studio$/, meaning: "the studio's list of every post (editors; never served to the public)" },
  { pattern: 'studio:author:<id>', match: new RegExp(`^studio:author:${ID}$`), meaning: "the studio's list of one author's posts (never served to the public)" },
];

/** True for a tag this app can produce; the webhook refuses others, since invalidating them would do nothing. */
export function isKnownTag(tag: string): boolean {
  return tagVocabulary.some((entry) => entry.match.test(tag));
}

/** Throws instead of letting Next.js silently drop a tag, which would make its invalidation a silent no-op. */
export function validateTag(tag: string): string {
  if (typeof tag !== 'string' || tag.length === 0) throw new InvalidTagError('A cache tag must be a non-empty string');
  if (tag.length > MAX_TAG_LENGTH) {
    throw new InvalidTagError(`Cache tag is ${tag.length} characters; Next.js drops tags over ${MAX_TAG_LENGTH}: ${tag.slice(0, 60)}…`);
  }
  return tag;
}

/**
 * The entity tags of the rows a list of posts shows: each post (title, excerpt), its author (name) and its
 * category (name). Lists are paginated so that these fit within MAX_TAGS_PER_ENTRY (a page of 30 posts by 30
 * authors in 30 categories is 90 tags); validateTags still refuses more rather than letting Next.js drop some.
 */
export function postListTags(posts: readonly { id: number; author: { id: number }; category: { slug: string } }[]): string[] {
  return [
    ...posts.map((p) => tags.post(p.id)),
    ...new Set(posts.map((p) => tags.author(p.author.id))),
    ...new Set(posts.map((p) => tags.category(p.category.slug))),
  ];
}

export function validateTags(list: readonly string[]): string[] {
  const unique = [...new Set(list.map(validateTag))];
  if (unique.length > MAX_TAGS_PER_ENTRY) {
    throw new InvalidTagError(`${unique.length} cache tags on one entry; Next.js keeps only the first ${MAX_TAGS_PER_ENTRY}`);
  }
  return unique;
}
