import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  jsonb,
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
  // The sign-in account that writes as this author (null for authors without one).
  userId: text('user_id').unique().references((): AnyPgColumn => user.id, { onDelete: 'set null' }),
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
    // partial indexes keep drafts out of them and stay small. NULLS FIRST matches `order by … desc` exactly:
    // with drizzle's default (NULLS LAST) PostgreSQL cannot read the index in order and sorts every post.
    index('posts_published_idx')
      .on(t.publishedAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.status} = 'published'`),
    index('posts_category_published_idx')
      .on(t.categoryId, t.publishedAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.status} = 'published'`),
    index('posts_author_published_idx')
      .on(t.authorId, t.publishedAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.status} = 'published'`),
    // The studio lists an author's posts (drafts too) by last update.
    index('posts_author_updated_idx').on(t.authorId, t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('posts_updated_idx').on(t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
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
    // Page URLs a webhook delivery named for revalidatePath (always expired now, whatever the mode).
    paths: text('paths').array().notNull().default(sql`'{}'::text[]`),
    // 'update' = updateTag, 'max' = revalidateTag(tag, 'max'), 'expire' = revalidateTag(tag, { expire: 0 }),
    // a cacheLife profile's name (lib/cache/profiles.ts) = revalidateTag(tag, '<profile>').
    mode: varchar('mode', { length: 16, enum: ['update', 'max', 'expire', 'posts', 'lists', 'navigation', 'inventory'] }).notNull(),
    source: varchar('source', { length: 16, enum: ['action', 'webhook'] }).notNull(),
    // Who asked: a user for actions, the sender's delivery id for webhooks.
    actor: varchar('actor', { length: 200 }).notNull(),
    deliveryId: varchar('delivery_id', { length: 200 }).unique(),
    change: varchar('change', { length: 100 }),
    // 'pending' until the invalidation is durable where every instance reads it (Redis away: it waits, and is
    // retried until it lands), then 'applied'; 'failed' if it could not be recorded at all (the sender retries);
    // 'duplicate' for a webhook delivery whose invalidation was applied before (acknowledged, not acted on again).
    outcome: varchar('outcome', { length: 16, enum: ['pending', 'applied', 'failed', 'duplicate'] }).notNull().default('applied'),
  },
  (t) => [index('revalidations_at_idx').on(t.at.desc())],
);

export type Revalidation = typeof revalidations.$inferSelect;

/** The catalog: descriptions live here; price and stock come from the inventory service (lib/inventory.ts). */
export const products = pgTable('products', {
  sku: varchar('sku', { length: 64 }).primaryKey(),
  name: varchar('name', { length: 200 }).notNull(),
  description: text('description').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type Product = typeof products.$inferSelect;

// ── Sign-in (better-auth's tables; property names are the field names its Drizzle adapter expects) ──

export const user = pgTable('user', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  // 'author' edits their own posts; 'editor' edits any. Not settable through sign-in (input: false in lib/auth.ts).
  role: varchar('role', { length: 16, enum: ['author', 'editor'] }).notNull().default('author'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const session = pgTable(
  'session',
  {
    id: text('id').primaryKey(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    token: text('token').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
  },
  (t) => [index('session_user_idx').on(t.userId)],
);

export const account = pgTable(
  'account',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
    refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
    scope: text('scope'),
    password: text('password'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('account_user_idx').on(t.userId)],
);

export const verification = pgTable('verification', {
  id: text('id').primaryKey(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Rate-limit counters (sign-in per address and per client, verified webhook deliveries per client), one fixed window
 * per key; in the database so limits hold across restarts and instances. A row is dead once `expires_at` has passed:
 * the limiter deletes those now and then (lib/rate-limit.ts), through the index on `expires_at`.
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('rate_limits_expires_at_idx').on(t.expiresAt)],
);

export type User = typeof user.$inferSelect;

/**
 * Full-page previews (lib/studio/preview.ts): what one user asked to preview of one post, kept server-side for a
 * few minutes. The row is both the payload (the form's unsaved fields, already validated) and the grant: a preview
 * render shows it only to that user, only before `expires_at`, and only while they may still edit the post.
 */
export const postPreviews = pgTable(
  'post_previews',
  {
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    values: jsonb('values')
      .$type<{ title: string; excerpt: string; body: string; categoryId: number; topicIds: number[] }>()
      .notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.postId] }), index('post_previews_expires_at_idx').on(t.expiresAt)],
);
