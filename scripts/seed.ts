// npm run db:seed [-- --posts N] [--if-empty]
import { parseArgs } from 'node:util';
import { createDatabase, databaseUrl } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { DEFAULT_POST_COUNT, seed } from '@/db/seed';

const { values } = parseArgs({
  options: { posts: { type: 'string', default: String(DEFAULT_POST_COUNT) }, 'if-empty': { type: 'boolean', default: false } },
});
const count = Number(values.posts);
if (!Number.isInteger(count) || count < 0) {
  console.error(`--posts must be a whole number ≥ 0 (got "${values.posts}")`);
  process.exit(2);
}

const url = databaseUrl();
await runMigrations(url);
const { db, sql } = createDatabase(url);
const started = performance.now();
try {
  const written = await seed(db, { posts: count, ifEmpty: values['if-empty'], log: console.log });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(written === 0 && values['if-empty'] ? 'Database already has content; not seeding.' : `Seeded ${written} posts in ${seconds} s.`);
} finally {
  await sql.end();
}
