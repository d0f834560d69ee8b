// Direct database access for tests that change data "behind the app's back".
import postgres from 'postgres';

let sql: postgres.Sql | undefined;

export function db(): postgres.Sql {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set: run the e2e suite through `npm test`');
  sql ??= postgres(process.env.DATABASE_URL, { max: 2, onnotice: () => {} });
  return sql;
}

export async function publishedPost(offset = 0) {
  const [row] = await db()`select id, slug, title from posts where status = 'published'
    order by published_at desc, id desc offset ${offset} limit 1`;
  return row as { id: number; slug: string; title: string };
}
