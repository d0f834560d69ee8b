import { describe, expect, it } from 'vitest';
import { authorChangeTags, postChangeTags, type PostSnapshot } from '@/lib/cache/invalidation-map';
import { isKnownTag } from '@/lib/cache/tags';

const post: PostSnapshot = { id: 7, slug: 'hello', status: 'published', authorId: 2, categorySlug: 'design', topicSlugs: ['css'] };

describe('postChangeTags', () => {
  it('an edit of a published post: its page and the studio now, the lists that show it stale-while-revalidate', () => {
    const plan = postChangeTags(post, { ...post });
    expect(plan.update.sort()).toEqual(['post-slug:hello', 'studio', 'studio:author:2']);
    // post:7 is on the list pages that show it too (lib/blog.ts): updateTag would expire every one of them.
    expect(plan.max.sort()).toEqual(['post:7', 'posts', 'posts:author:2', 'posts:category:design', 'posts:topic:css']);
  });

  it('a draft edited or created leaves the public lists alone', () => {
    const draft = { ...post, status: 'draft' as const };
    expect(postChangeTags(draft, { ...draft, slug: 'hello-2' }).max).toEqual([]);
    expect(postChangeTags(null, draft).max).toEqual([]);
    expect(postChangeTags(null, draft).update).toContain('post-slug:hello');
  });

  it('publishing refreshes the cached 404 of its URL and the lists it joins', () => {
    const plan = postChangeTags({ ...post, status: 'draft' }, post);
    expect(plan.update).toContain('post-slug:hello');
    expect(plan.max).toContain('posts');
  });

  it('unpublishing and deleting reach the lists it leaves', () => {
    for (const after of [{ ...post, status: 'draft' as const }, null]) {
      const plan = postChangeTags(post, after);
      expect(plan.update).toContain('post-slug:hello');
      expect(plan.max).toEqual(expect.arrayContaining(['posts', 'posts:category:design', 'posts:topic:css']));
    }
  });

  it('a new slug invalidates the old and the new URL', () => {
    expect(postChangeTags(post, { ...post, slug: 'renamed' }).update).toEqual(expect.arrayContaining(['post-slug:hello', 'post-slug:renamed']));
  });

  it('moving category or topics refreshes the old and the new lists', () => {
    const plan = postChangeTags(post, { ...post, categorySlug: 'culture', topicSlugs: ['http'] });
    expect(plan.max).toEqual(expect.arrayContaining(['posts:category:design', 'posts:category:culture', 'posts:topic:css', 'posts:topic:http']));
  });

  it('only produces tags from the vocabulary, each once', () => {
    const plan = postChangeTags(post, { ...post, slug: 'x', categorySlug: 'culture' });
    for (const tag of [...plan.update, ...plan.max]) expect(isKnownTag(tag), tag).toBe(true);
    expect(new Set(plan.max).size).toBe(plan.max.length);
  });
});

describe('authorChangeTags', () => {
  it('a rename reaches every page that prints the name', () => {
    const plan = authorChangeTags(2, { name: true, bio: false });
    expect(plan.update).toEqual(expect.arrayContaining(['author:2', 'studio:author:2']));
    expect(plan.max).toContain('authors');
  });

  it('a new bio reaches their page only (the lists show the name)', () => {
    expect(authorChangeTags(2, { name: false, bio: true })).toEqual({ update: ['author:2'], max: [] });
  });

  it('an unchanged profile invalidates nothing', () => {
    expect(authorChangeTags(2, { name: false, bio: false })).toEqual({ update: [], max: [] });
  });
});
