import { migrate } from 'drizzle-orm/postgres-js/migrator';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase } from './client';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any constant works; it only has to be the same for every process that migrates this database.
const MIGRATION_LOCK = 726_351;

/** Applies pending migrations. Safe to call from several processes at once: they queue on an advisory lock. */
export async function runMigrations(url: string): Promise<void> {
  // One connection, so the advisory lock and the migration statements share a session.
  const { sql, db } = createDatabase(url, { max: 1 });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(db, { migrationsFolder: MIGRATIONS });
  } finally {
    await sql.end();
  }
}
