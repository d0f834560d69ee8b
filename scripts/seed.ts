// npm run db:seed [-- --posts N] [--if-empty] [--app-url http://127.0.0.1:3000]
// After replacing the content, tells a running app to drop what it cached from the old content.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createDatabase, databaseUrl } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { DEFAULT_POST_COUNT, seed } from '@/db/seed';
import { tags } from '@/lib/cache/tags';
import { parseSecrets, signDelivery } from '@/lib/webhooks/secrets';
import { revalidateSecrets } from './local-secret';

const { values } = parseArgs({
  options: {
    posts: { type: 'string', default: String(DEFAULT_POST_COUNT) },
    'if-empty': { type: 'boolean', default: false },
    'app-url': { type: 'string', default: process.env.APP_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}` },
  },
});
const count = Number(values.posts);
if (!Number.isInteger(count) || count < 0) {
  console.error(`--posts must be a whole number ≥ 0 (got "${values.posts}")`);
  process.exit(2);
}

/**
 * A running app keeps serving what it cached from the old content, so the seed tells it the way any other
 * writer does: a signed delivery to its webhook. With `content`, the tag every entry built from the database
 * carries, rather than the tags of the rows that changed: a reseed replaces every row and restarts the ids, and
 * a cached 404 of a slug that exists now carries only that slug's tag, so no list of entity tags would reach
 * every stale entry (nor fit the webhook's 64 tags). `expire`, not 'max': stale pages would link to posts that
 * no longer exist, and a reseed is a deliberate reset, not a stream of edits to absorb.
 * Never fails the seed: the content is replaced either way; the outcome is printed.
 */
async function refreshRunningApp(appUrl: string): Promise<void> {
  const endpoint = new URL('/api/revalidate', appUrl).href;
  const [secret] = parseSecrets(revalidateSecrets());
  const body = JSON.stringify({ tags: [tags.content], mode: 'expire' });
  const retry = `npm run webhook -- --tag ${tags.content} --mode expire --url ${endpoint}`;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: signDelivery(secret, `seed_${randomUUID()}`, body),
      body,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    const cause = (error as Error).cause as { code?: string; message?: string } | undefined;
    const code = cause?.code;
    if (code === 'ECONNREFUSED') {
      console.log(`No app is running at ${appUrl}: nothing to refresh (an app started later reads the new content).`);
    } else {
      console.warn(`Could not reach an app at ${appUrl} (${code ?? cause?.message ?? (error as Error).message}). If one is running there, it still shows the old content: ${retry}`);
    }
    return;
  }
  const text = await response.text();
  if (response.ok) console.log(`Told the app at ${appUrl} to refresh every cached page (tag "${tags.content}", expire).`);
  else {
    console.warn(
      `The app at ${appUrl} refused the refresh (${response.status} ${text.trim()}), so it still shows the old content. ` +
        `Check that REVALIDATE_SECRET (or --app-url) matches that app, then: ${retry}`,
    );
  }
}

const url = databaseUrl();
await runMigrations(url);
const { db, sql } = createDatabase(url);
const started = performance.now();
let written: number;
try {
  written = await seed(db, { posts: count, ifEmpty: values['if-empty'], log: console.log });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(written === 0 && values['if-empty'] ? 'Database already has content; not seeding.' : `Seeded ${written} posts in ${seconds} s.`);
} finally {
  await sql.end();
}
// `--if-empty` that found content changed nothing; every other run replaced the content (0 posts included).
if (!(values['if-empty'] && written === 0)) await refreshRunningApp(values['app-url']);
