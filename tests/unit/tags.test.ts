import { describe, expect, it } from 'vitest';
import { InvalidTagError, isKnownTag, MAX_TAGS_PER_ENTRY, tags, validateTag, validateTags } from '@/lib/cache/tags';

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
      tags.products, tags.product('SKU-1'), tags.inventory,
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
