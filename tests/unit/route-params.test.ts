// Route parameters that the app could never have made are 404s before any query, cache key or tag (issue 10, item 6).
import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
const { cursorParam, skuParam, slugParam } = await import('@/lib/route-params');
const { isSlug, isSku, slugify } = await import('@/lib/slug');
const { tags, validateTags } = await import('@/lib/cache/tags');

const notFound = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return String((error as { digest?: string }).digest ?? '').includes('404');
  }
  return false;
};

describe('route parameters', () => {
  it('accepts the slugs, SKUs and cursors the app makes', () => {
    expect(slugParam('tagged-caching-101', 'post')).toBe('tagged-caching-101');
    expect(slugParam(slugify('Ünïcode Title: a “test”!'), 'post')).toBe('unicode-title-a-test');
    expect(slugParam('engineering', 'category')).toBe('engineering');
    expect(skuParam('MUG-001')).toBe('MUG-001');
    expect(cursorParam('1732500000000-42')).toBe('1732500000000-42');
  });

  it.each([
    ['a'.repeat(247), 'post'],
    ['a'.repeat(201), 'post'],
    ['a'.repeat(101), 'category'],
    ['a'.repeat(300), 'topic'],
    ['a'.repeat(300), 'author'],
    ['\0', 'post'],
    ['a\0b', 'post'],
    ['Hello', 'post'],
    ['a--b', 'post'],
    ['-a', 'category'],
    ['', 'post'],
    ['a b', 'topic'],
    ['é', 'post'],
  ] as const)('refuses %j as a %s slug with a 404', (value, kind) => {
    expect(notFound(() => slugParam(value, kind))).toBe(true);
  });

  it.each(['a'.repeat(65), 'A'.repeat(250), '\0', 'mug-001', 'MUG--001', 'MUG 001'])('refuses SKU %j with a 404', (value) => {
    expect(notFound(() => skuParam(value))).toBe(true);
  });

  it.each(['\0', 'x', '1-99999999999', '9'.repeat(300)])('refuses cursor %j with a 404', (value) => {
    expect(notFound(() => cursorParam(value))).toBe(true);
  });

  it('lets through only slugs whose every tag Next.js keeps', () => {
    const longest = 'a'.repeat(200);
    expect(isSlug(longest)).toBe(true);
    expect(() => validateTags([tags.postSlug(longest), tags.postsInCategory(longest.slice(0, 100)), tags.product('A'.repeat(64))])).not.toThrow();
    expect(isSlug('a'.repeat(201))).toBe(false);
    expect(isSku('A'.repeat(65))).toBe(false);
  });
});
