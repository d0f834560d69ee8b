// The studio's and the catalog's queries against a real database (both, via npm test); rate limits: rate-limits.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, databaseUrl } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { decodeCursor } from '@/db/queries/blog';
import { getProductBySku, listProducts } from '@/db/queries/catalog';
import * as studio from '@/db/queries/studio';
import { getStudioUser } from '@/db/queries/users';
import { seed } from '@/db/seed';

const { db, sql } = createDatabase(databaseUrl());
beforeAll(async () => {
  await runMigrations(databaseUrl());
  await seed(db);
});
afterAll(() => sql.end());

const input = (over: Partial<studio.PostInput> = {}): studio.PostInput => ({
  title: 'Integration post',
  slug: `integration-${Date.now()}`,
  excerpt: 'x',
  body: 'Body',
  categoryId: 1,
  topicIds: [1, 2],
  ...over,
});

describe('studio users', () => {
  it('knows each demo user’s role and author', async () => {
    expect(await getStudioUser(db, 'user-ada')).toMatchObject({ role: 'author', authorId: 1, email: 'ada@example.com' });
    expect(await getStudioUser(db, 'user-lena')).toMatchObject({ role: 'editor', authorId: 4 });
    expect(await getStudioUser(db, 'nobody')).toBeNull();
  });
});

describe('post writes', () => {
  it('creates, updates with the right version, refuses a stale version, publishes and deletes', async () => {
    const id = await db.transaction((tx) => studio.insertPost(tx, 1, input(), false));
    const created = (await studio.getEditablePost(db, id))!;
    expect(created).toMatchObject({ status: 'draft', version: 1, publishedAt: null, topicIds: [1, 2] });

    const v2 = await studio.updatePost(db, id, 1, input({ title: 'Renamed', slug: created.slug, topicIds: [3] }));
    expect(v2).toBe(2);
    expect(await studio.updatePost(db, id, 1, input({ title: 'Lost update', slug: created.slug }))).toBeNull();
    const after = (await studio.getEditablePost(db, id))!;
    expect(after).toMatchObject({ title: 'Renamed', version: 2, topicIds: [3] });

    expect(await studio.setPostStatus(db, id, 2, 'published')).toBe(3);
    const published = (await studio.getEditablePost(db, id))!;
    expect(published.publishedAt).not.toBeNull();
    expect(await studio.setPostStatus(db, id, 3, 'draft')).toBe(4);
    expect(await studio.setPostStatus(db, id, 4, 'published')).toBe(5);
    // Republishing keeps the first publication date, so the post keeps its place in the lists.
    expect((await studio.getEditablePost(db, id))!.publishedAt).toEqual(published.publishedAt);

    expect(await studio.deletePostRow(db, id, 4)).toBe(false);
    expect(await studio.deletePostRow(db, id, 5)).toBe(true);
    expect(await studio.getEditablePost(db, id)).toBeNull();
  });

  it('knows which slugs are taken, except by the post itself', async () => {
    const [first] = (await studio.listStudioPosts(db, null, null)).posts;
    expect(await studio.slugTaken(db, first.slug)).toBe(true);
    expect(await studio.slugTaken(db, first.slug, first.id)).toBe(false);
    expect(await studio.slugTaken(db, 'surely-unused-slug')).toBe(false);
  });

  it('checks that a category and topics exist', async () => {
    expect(await studio.categoryIdsExist(db, 1, [1, 2])).toEqual({ category: true, topics: true });
    expect(await studio.categoryIdsExist(db, 999, [1, 999])).toEqual({ category: false, topics: false });
  });
});

describe('studio lists', () => {
  it('pages an author’s posts (drafts included) by last update; editors see everyone’s', async () => {
    const all = await studio.listStudioPosts(db, null, null);
    expect(all.posts).toHaveLength(studio.STUDIO_PAGE_SIZE);
    expect(all.next).not.toBeNull();
    const rest = await studio.listStudioPosts(db, null, decodeCursor(all.next!));
    expect(rest.posts.length).toBeGreaterThan(0);
    expect(rest.posts.some((p) => all.posts.some((q) => q.id === p.id))).toBe(false);

    const ada = await studio.listStudioPosts(db, 1, null);
    expect(ada.posts.every((p) => p.authorName === 'Ada Okafor')).toBe(true);
    expect(ada.posts.some((p) => p.status === 'draft') || ada.posts.length < 10).toBe(true);
  });
});

describe('catalog', () => {
  it('lists products and finds one by SKU', async () => {
    expect(await listProducts(db)).toHaveLength(8);
    expect((await getProductBySku(db, 'MUG-001'))?.name).toBe('Stale-While-Revalidate Mug');
    expect(await getProductBySku(db, 'NOPE')).toBeNull();
  });
});
