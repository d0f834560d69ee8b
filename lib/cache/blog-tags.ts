// The tags each public read of the blog (lib/blog.ts) puts on its cache entry: one list, used by those reads and
// by the /cache page's "carried by" column (lib/cache-inspector/carriers.ts), which builds them from example rows.
// Pure (no database, no Next.js), so the inspector and the unit tests can call it.
import { postListTags, tags } from './tags';

type ListRow = Parameters<typeof postListTags>[0][number];

/**
 * The entity tags of every row a list shows (each post, its author, its category), so that `post:<id>`,
 * `author:<id>` or `category:<slug>` alone refreshes every list showing that row, as the vocabulary promises.
 * `content` is on every entry built from the database (the seed sends it).
 */
const rowTags = (posts: readonly ListRow[]) => [tags.content, ...postListTags(posts)];

/** A category's, author's or topic's page: `found` null when the entity does not exist (or the cursor is forged). */
type Found = { id: number; posts: readonly ListRow[] } | null;

export const blogTags = {
  /** `posts` null: a forged cursor. */
  latestPosts: (posts: readonly ListRow[] | null) => [tags.posts, ...(posts ? rowTags(posts) : [tags.content])],

  /** A miss is tagged too, under the slug's tag, so publishing a post at this URL refreshes the 404. */
  post: (slug: string, post: (ListRow & { topics: readonly { slug: string }[] }) | null) =>
    post
      ? [
          tags.content,
          tags.postSlug(slug),
          tags.post(post.id),
          tags.author(post.author.id),
          tags.category(post.category.slug),
          ...post.topics.map((t) => tags.topic(t.slug)),
        ]
      : [tags.content, tags.postSlug(slug)],

  // A missing entity is tagged so that creating it later refreshes the cached 404.
  categoryPosts: (slug: string, found: Found) =>
    found ? [tags.category(slug), tags.postsInCategory(slug), ...rowTags(found.posts)] : [tags.content, tags.category(slug), tags.categories],
  authorPosts: (found: Found) =>
    found ? [tags.author(found.id), tags.postsByAuthor(found.id), ...rowTags(found.posts)] : [tags.content, tags.authors],
  topicPosts: (slug: string, found: Found) =>
    found ? [tags.topic(slug), tags.postsWithTopic(slug), ...rowTags(found.posts)] : [tags.content, tags.topic(slug), tags.topics],

  // The header prints every category's name, so each category's own tag is here too (room for about 120
  // categories; validateTags refuses more rather than let Next.js drop some). Topics and authors are listed for
  // the studio's pickers and static params only; their list tags cover those.
  navigation: (categories: readonly { slug: string }[]) => [
    tags.content,
    tags.categories,
    tags.authors,
    tags.topics,
    ...categories.map((c) => tags.category(c.slug)),
  ],

  feed: (posts: readonly ListRow[]) => [tags.posts, ...rowTags(posts)],

  // Up to 50,000 URLs: far too many rows for one tag each. The sitemap shows only URLs and dates, so the list
  // tags (a post published, moved or deleted) are what it needs; `post:<id>` does not promise it.
  sitemap: () => [tags.content, tags.posts, tags.categories, tags.authors, tags.topics],
};
