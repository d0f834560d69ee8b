// Every read query against a real database: the embedded PostgreSQL or a server, whichever DATABASE_URL names
// (npm test runs this file on both).
import { eq, inArray, sql as query } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, databaseUrl } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import * as q from '@/db/queries/blog';
import {
  claimDelivery,
  lastInvalidationPerTag,
  listRecentRevalidations,
  markLanded,
  pruneRevalidations,
  recordRevalidation,
  RETENTION,
  setOutcome,
} from '@/db/queries/revalidations';
import { posts, revalidations } from '@/db/schema';
import { tags } from '@/lib/cache/tags';
import { DEFAULT_POST_COUNT, seed } from '@/db/seed';

const { db, sql } = createDatabase(databaseUrl());

beforeAll(async () => {
  // Twice at once: concurrent migrators must queue on the lock, not collide.
  await Promise.all([runMigrations(databaseUrl()), runMigrations(databaseUrl())]);
  await seed(db);
});
afterAll(() => sql.end());

async function allPages(filter: q.PostFilter = {}) {
  const seen: q.PostSummary[] = [];
  let after: q.Cursor | null = null;
  for (;;) {
    const page = await q.listPublishedPosts(db, { filter, after, limit: 7 });
    seen.push(...page.posts);
    if (!page.next) return seen;
    after = q.decodeCursor(page.next);
    if (!after) throw new Error(`the app refuses its own cursor ${page.next}`);
  }
}

describe('seed', () => {
  it('writes the deterministic demo content, drafts included', async () => {
    const rows = await db.select({ status: posts.status, slug: posts.slug }).from(posts).orderBy(posts.id);
    expect(rows).toHaveLength(DEFAULT_POST_COUNT);
    expect(rows.filter((r) => r.status === 'draft').length).toBe(6);
    expect(rows[0].slug).toMatch(/-1$/);
  });

  it('with ifEmpty leaves existing content alone', async () => {
    expect(await seed(db, { ifEmpty: true })).toBe(0);
  });
});

describe('listPublishedPosts', () => {
  it('pages through every published post exactly once, newest first, without drafts', async () => {
    const seen = await allPages();
    expect(seen).toHaveLength(54);
    expect(new Set(seen.map((p) => p.id)).size).toBe(54);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i - 1].publishedAt.getTime()).toBeGreaterThanOrEqual(seen[i].publishedAt.getTime());
    }
    const drafts = await db.select({ id: posts.id }).from(posts).where(eq(posts.status, 'draft'));
    expect(seen.some((p) => drafts.some((d) => d.id === p.id))).toBe(false);
  });

  it('walks back: each older page links to the newer page before it, and the second page to the first', async () => {
    const pages: { after: q.Cursor | null; page: q.PostPage }[] = [];
    let after: q.Cursor | null = null;
    for (;;) {
      const page = await q.listPublishedPosts(db, { after, limit: 7 });
      pages.push({ after, page });
      if (!page.next) break;
      after = q.decodeCursor(page.next);
    }
    expect(pages.length).toBeGreaterThan(3);
    expect(pages[0].page.newer).toBeUndefined();
    expect(pages[1].page.newer).toEqual({ cursor: null });
    for (let i = 2; i < pages.length; i++) {
      const back = await q.listPublishedPosts(db, { after: q.decodeCursor(pages[i].page.newer!.cursor!), limit: 7 });
      expect(back.posts.map((p) => p.id)).toEqual(pages[i - 1].page.posts.map((p) => p.id));
    }
  });

  it('filters by category, author and topic', async () => {
    const category = (await q.listCategories(db))[0];
    const author = (await q.listAuthors(db))[0];
    const topic = (await q.listTopics(db))[0];
    const inCategory = await allPages({ categoryId: category.id });
    expect(inCategory.length).toBeGreaterThan(0);
    expect(inCategory.every((p) => p.category.slug === category.slug)).toBe(true);
    const byAuthor = await allPages({ authorId: author.id });
    expect(byAuthor.length).toBeGreaterThan(0);
    expect(byAuthor.every((p) => p.author.id === author.id)).toBe(true);
    const withTopic = await allPages({ topicId: topic.id });
    expect(withTopic.length).toBeGreaterThan(0);
    for (const p of withTopic.slice(0, 5)) {
      const detail = await q.getPublishedPostBySlug(db, p.slug);
      expect(detail!.topics.map((t) => t.slug)).toContain(topic.slug);
    }
  });

  it('keeps posts with the same publish time apart by id', async () => {
    const [a, b] = await allPages();
    await db.update(posts).set({ publishedAt: a.publishedAt }).where(eq(posts.id, b.id));
    try {
      const ids = (await allPages()).map((p) => p.id);
      expect(new Set(ids).size).toBe(54);
    } finally {
      await db.update(posts).set({ publishedAt: b.publishedAt }).where(eq(posts.id, b.id));
    }
  });

  it('pages through posts dated before 1970 (negative cursor times) like any other', async () => {
    const before = await allPages();
    // An archive imported from an older blog: the oldest posts move to the 1960s, keeping their order; pages of 7
    // then end inside them, so the walk goes through cursors with negative times.
    const oldest = before.slice(-10);
    for (const [i, post] of oldest.entries()) {
      await db.update(posts).set({ publishedAt: new Date(Date.UTC(1969, 6, 20 - i)) }).where(eq(posts.id, post.id));
    }
    try {
      const after = await allPages();
      expect(after.map((p) => p.id)).toEqual(before.map((p) => p.id));
      const deep = await q.listPublishedPosts(db, { after: q.decodeCursor(q.encodeCursor({ at: new Date(Date.UTC(1969, 6, 20)), id: oldest[0].id })) });
      expect(deep.posts.map((p) => p.id)).toEqual(oldest.slice(1).map((p) => p.id));
    } finally {
      for (const post of oldest) await db.update(posts).set({ publishedAt: post.publishedAt }).where(eq(posts.id, post.id));
    }
  });
});

describe('lookups', () => {
  it('finds a published post with its author, category and topics', async () => {
    const [first] = await allPages();
    const post = await q.getPublishedPostBySlug(db, first.slug);
    expect(post).toMatchObject({ id: first.id, title: first.title, author: first.author });
    expect(post!.body.length).toBeGreaterThan(100);
    expect(post!.topics.length).toBeGreaterThan(0);
  });

  it('returns null for drafts and unknown slugs', async () => {
    const [draft] = await db.select().from(posts).where(eq(posts.status, 'draft')).limit(1);
    expect(await q.getPublishedPostBySlug(db, draft.slug)).toBeNull();
    expect(await q.getPublishedPostBySlug(db, 'no-such-post')).toBeNull();
  });

  it('finds categories, authors and topics by slug', async () => {
    expect((await q.getCategoryBySlug(db, 'databases'))?.name).toBe('Databases');
    expect((await q.getAuthorBySlug(db, 'ada-okafor'))?.name).toBe('Ada Okafor');
    expect((await q.getTopicBySlug(db, 'caching'))?.name).toBe('caching');
    expect(await q.getCategoryBySlug(db, 'nope')).toBeNull();
    expect(await q.listCategories(db)).toHaveLength(6);
    expect(await q.listAuthors(db)).toHaveLength(4);
    expect(await q.listTopics(db)).toHaveLength(12);
  });

  it('lists the newest slugs for prerendering and the sitemap', async () => {
    const [first] = await allPages();
    expect((await q.listRecentPostSlugs(db, 5))[0]).toBe(first.slug);
    expect(await q.listSitemapPosts(db)).toHaveLength(54);
  });
});

describe('revalidation log', () => {
  const delivery = (deliveryId: string) =>
    ({ tags: [tags.posts, tags.post(1)], mode: 'max' as const, source: 'webhook' as const, actor: deliveryId, deliveryId });

  it('claims a delivery once it is applied, hands back one failed or left pending, and refuses a copy in flight', async () => {
    const entry = delivery(`msg_${Date.now()}`);
    const first = await claimDelivery(db, entry);
    if (first.duplicate || first.inFlight) throw new Error('a new delivery is claimed');
    // Being acted on (pending, just claimed): a copy arriving now must not be acted on too.
    expect(await claimDelivery(db, entry)).toEqual({ duplicate: false, inFlight: true });
    // Failed, or pending for longer than an attempt takes (its process is gone): acted on again, on the same row.
    await setOutcome(db, first.id, 'failed');
    expect(await claimDelivery(db, entry)).toEqual({ duplicate: false, inFlight: false, id: first.id });
    await db.update(revalidations).set({ at: query`now() - interval '1 minute'` }).where(eq(revalidations.id, first.id));
    expect(await claimDelivery(db, entry)).toEqual({ duplicate: false, inFlight: false, id: first.id });
    // Ten copies at once of one that failed: exactly one is acted on.
    await setOutcome(db, first.id, 'failed');
    const copies = await Promise.all(Array.from({ length: 10 }, () => claimDelivery(db, entry)));
    expect(copies.filter((c) => !c.duplicate && !c.inFlight)).toHaveLength(1);
    await setOutcome(db, first.id, 'applied');
    expect(await claimDelivery(db, entry)).toEqual({ duplicate: true });
    const recent = await listRecentRevalidations(db, 5);
    expect(recent[0]).toMatchObject({ tags: [tags.posts, tags.post(1)], mode: 'max', deliveryId: entry.deliveryId, outcome: 'applied' });
    const last = await lastInvalidationPerTag(db);
    expect(last.find((l) => l.tag === tags.post(1))?.mode).toBe('max');
  });

  it('marks queued invalidations applied when they land, and only pending ones', async () => {
    const pending = await recordRevalidation(db, { ...delivery(`msg_p_${Date.now()}`), outcome: 'pending' });
    const failed = await recordRevalidation(db, { ...delivery(`msg_f_${Date.now()}`), outcome: 'failed' });
    await markLanded(db, [pending.id, failed.id]);
    const rows = await listRecentRevalidations(db, 10);
    expect(rows.find((r) => r.id === pending.id)?.outcome).toBe('applied');
    expect(rows.find((r) => r.id === failed.id)?.outcome).toBe('failed');
  });

  it('keeps the log bounded in time: rows older than RETENTION.days go, pending ones stay', async () => {
    const old = await recordRevalidation(db, { ...delivery(`msg_old_${Date.now()}`), outcome: 'applied' });
    const oldPending = await recordRevalidation(db, { ...delivery(`msg_oldp_${Date.now()}`), outcome: 'pending' });
    await db.update(revalidations).set({ at: new Date(Date.now() - 31 * 86_400_000) }).where(inArray(revalidations.id, [old.id, oldPending.id]));
    const recent = await recordRevalidation(db, { ...delivery(`msg_new_${Date.now()}`), outcome: 'applied' });
    expect(await pruneRevalidations(db, { force: true })).toBeGreaterThanOrEqual(1);
    const ids = (await listRecentRevalidations(db, RETENTION.rows)).map((r) => r.id);
    expect(ids).not.toContain(old.id);
    expect(ids).toContain(oldPending.id);
    expect(ids).toContain(recent.id);
  });

  it('keeps at most RETENTION.rows rows: past the limit the oldest go, the newest and pending ones stay', async () => {
    const pending = await recordRevalidation(db, { ...delivery(`msg_cap_pending_${Date.now()}`), outcome: 'pending' });
    const actor = `cap-test-${Date.now()}`;
    try {
      // One statement for the burst: RETENTION.rows + 50 applied rows, all newer than the pending one.
      await db.execute(query`insert into ${revalidations} (tags, mode, source, actor, outcome)
        select array[${tags.posts}::text], 'max', 'webhook', ${actor}, 'applied' from generate_series(1, ${RETENTION.rows + 50})`);
      const burst = await db.select({ id: revalidations.id }).from(revalidations).where(eq(revalidations.actor, actor)).orderBy(revalidations.id);
      await pruneRevalidations(db, { force: true });
      const [{ n }] = await db.execute<{ n: number }>(query`select count(*)::int as n from ${revalidations} where outcome <> 'pending'`);
      expect(n).toBeLessThanOrEqual(RETENTION.rows);
      const ids = new Set((await db.select({ id: revalidations.id }).from(revalidations)).map((r) => r.id));
      expect(ids.has(burst[0].id), 'the oldest row of the burst is gone').toBe(false);
      expect(ids.has(burst.at(-1)!.id), 'the newest row is kept').toBe(true);
      expect(ids.has(pending.id), 'a pending row is kept, however old').toBe(true);
    } finally {
      await db.delete(revalidations).where(eq(revalidations.actor, actor));
    }
  });
});

describe('an empty database', () => {
  it('seeds with 0 posts and lists nothing, without errors', async () => {
    await seed(db, { posts: 0 });
    try {
      expect(await q.listPublishedPosts(db, {})).toEqual({ posts: [], next: null });
      expect(await q.listRecentPostSlugs(db, 20)).toEqual([]);
    } finally {
      await seed(db);
    }
  });
});
