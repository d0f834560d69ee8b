import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
  // Only `db:studio`-style commands connect; `drizzle-kit generate` works from the schema alone.
  dbCredentials: { url: process.env.DATABASE_URL ?? '' },
});
