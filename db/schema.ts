import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  varchar,
} from 'drizzle-orm/pg-core';

export const postStatus = pgEnum('post_status', ['draft', 'published']);

export const authors = pgTable('authors', {
  id: serial('id').primaryKey(),
  slug: varchar('slug', { length: 100 }).notNull().unique(),
  name: varchar('name', { length: 200 }).notNull(),
  bio: text('bio').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const categories = pgTable('categories', {
  id: serial('id').primaryKey(),
  slug: varchar('slug', { length: 100 }).notNull().unique(),
  name: varchar('name', { length: 200 }).notNull(),
  description: text('description').notNull().default(''),
});

// "Topics" rather than "tags": in this project a tag always means a cache tag.
export const topics = pgTable('topics', {
  id: serial('id').primaryKey(),
  slug: varchar('slug', { length: 100 }).notNull().unique(),
  name: varchar('name', { length: 200 }).notNull(),
});

export const posts = pgTable(
  'posts',
  {
    id: serial('id').primaryKey(),
    slug: varchar('slug', { length: 200 }).notNull().unique(),
    title: varchar('title', { length: 300 }).notNull(),
    excerpt: text('excerpt').notNull().default(''),
    body: text('body').notNull(),
    status: postStatus('status').notNull().default('draft'),
    authorId: integer('author_id')
      .notNull()
      .references(() => authors.id),
    categoryId: integer('category_id')
      .notNull()
      .references(() => categories.id),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    // Optimistic concurrency: every save must name the version it started from.
    version: integer('version').notNull().default(1),
  },
  (t) => [
    // Every public list is "published, newest first" with a keyset cursor on (published_at, id);
    // partial indexes keep drafts out of them and stay small.
    index('posts_published_idx')
      .on(t.publishedAt.desc(), t.id.desc())
      .where(sql`${t.status} = 'published'`),
    index('posts_category_published_idx')
      .on(t.categoryId, t.publishedAt.desc(), t.id.desc())
      .where(sql`${t.status} = 'published'`),
    index('posts_author_published_idx')
      .on(t.authorId, t.publishedAt.desc(), t.id.desc())
      .where(sql`${t.status} = 'published'`),
    // The studio lists an author's posts (drafts too) by last update.
    index('posts_author_updated_idx').on(t.authorId, t.updatedAt.desc()),
  ],
);

export const postTopics = pgTable(
  'post_topics',
  {
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    topicId: integer('topic_id')
      .notNull()
      .references(() => topics.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.postId, t.topicId] }), index('post_topics_topic_idx').on(t.topicId, t.postId)],
);

export type Author = typeof authors.$inferSelect;
export type Category = typeof categories.$inferSelect;
export type Topic = typeof topics.$inferSelect;
export type Post = typeof posts.$inferSelect;

/**
 * Every cache invalidation, from Server Actions and webhooks: the /cache page shows it, and a webhook's
 * delivery id is unique here, which makes a re-sent delivery a no-op.
 */
export const revalidations = pgTable(
  'revalidations',
  {
    id: serial('id').primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    tags: text('tags').array().notNull(),
    // 'update' = updateTag, 'max' = revalidateTag(tag, 'max'), 'expire' = revalidateTag(tag, { expire: 0 })
    mode: varchar('mode', { length: 16, enum: ['update', 'max', 'expire'] }).notNull(),
    source: varchar('source', { length: 16, enum: ['action', 'webhook'] }).notNull(),
    // Who asked: a user for actions, the sender's delivery id for webhooks.
    actor: varchar('actor', { length: 200 }).notNull(),
    deliveryId: varchar('delivery_id', { length: 200 }).unique(),
    change: varchar('change', { length: 100 }),
  },
  (t) => [index('revalidations_at_idx').on(t.at.desc())],
);

export type Revalidation = typeof revalidations.$inferSelect;
