import { describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '@/db/queries/blog';
import { InvalidTagError, isKnownTag, MAX_TAGS_PER_ENTRY, postListTags, tags, validateTag, validateTags } from '@/lib/cache/tags';

describe('tag vocabulary', () => {
  it('builds the tags the pages and the webhook use', () => {
    expect(tags.post(12)).toBe('post:12');
    expect(tags.postSlug('hello-world')).toBe('post-slug:hello-world');
    expect(tags.postsInCategory('databases')).toBe('posts:category:databases');
    expect(tags.product('MUG-001')).toBe('product:MUG-001');
    expect(tags.posts).toBe('posts');
  });

  it('recognises every tag a builder makes, and nothing else', () => {
    const made = [
      tags.posts, tags.post(1), tags.postSlug('a-b'), tags.postsInCategory('c'), tags.postsByAuthor(3), tags.postsWithTopic('t'),
      tags.categories, tags.category('c'), tags.authors, tags.author(2), tags.topics, tags.topic('t'),
      tags.products, tags.product('SKU-1'), tags.inventory, tags.content,
    ];
    for (const tag of made) expect(isKnownTag(tag), tag).toBe(true);
    for (const tag of ['post', 'post:', 'post:abc', 'post:0', 'Posts', 'posts ', 'post-slug:Bad Slug', 'product:lower', 'anything']) {
      expect(isKnownTag(tag), tag).toBe(false);
    }
  });

  it('refuses empty keys instead of making a tag that matches nothing', () => {
    expect(() => tags.postSlug('')).toThrow(InvalidTagError);
  });
});

describe('tag validation (Next.js would silently drop these)', () => {
  it('accepts a tag of exactly 256 characters and refuses 257', () => {
    expect(validateTag('a'.repeat(256))).toHaveLength(256);
    expect(() => validateTag('a'.repeat(257))).toThrow(/257 characters/);
  });

  it('refuses an empty tag', () => {
    expect(() => validateTag('')).toThrow(InvalidTagError);
  });

  it(`accepts ${MAX_TAGS_PER_ENTRY} tags on an entry and refuses one more`, () => {
    const many = Array.from({ length: MAX_TAGS_PER_ENTRY }, (_, i) => tags.post(i + 1));
    expect(validateTags(many)).toHaveLength(MAX_TAGS_PER_ENTRY);
    expect(() => validateTags([...many, tags.posts])).toThrow(/129 cache tags/);
  });

  it('counts duplicates once', () => {
    expect(validateTags([tags.posts, tags.posts, tags.post(1)])).toEqual(['posts', 'post:1']);
  });
});

describe('postListTags: the entity tags of the rows a list shows', () => {
  const rows = (n: number, distinct: boolean) =>
    Array.from({ length: n }, (_, i) => ({ id: i + 1, author: { id: distinct ? i + 1 : 1 }, category: { slug: distinct ? `c${i}` : 'c' } }));

  it('names each post, and each author and category once', () => {
    expect(postListTags(rows(3, false))).toEqual(['post:1', 'post:2', 'post:3', 'author:1', 'category:c']);
    for (const tag of postListTags(rows(3, true))) expect(isKnownTag(tag), tag).toBe(true);
  });

  // The largest post list is the feed (30 posts, lib/blog.ts FEED_SIZE); pages hold PAGE_SIZE. Even with every
  // post by another author in another category, plus the list's own tags, one entry keeps all its tags.
  it.each([PAGE_SIZE, 30])('a list of %i posts fits in one entry with room for its list tags', (n) => {
    const list = [tags.content, tags.posts, tags.postsInCategory('c'), ...postListTags(rows(n, true))];
    expect(validateTags(list).length).toBeLessThanOrEqual(MAX_TAGS_PER_ENTRY);
  });
});
