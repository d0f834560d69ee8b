// The database of the local orchestrators (with-db, demo, cluster): DATABASE_URL's as it is, or the embedded
// PostgreSQL in .data/postgres (EMBEDDED_PG_DIR), started for them and stopped by their shutdown, after the app.
import type { Shutdown } from './supervise';

/** DATABASE_URL, or the embedded database's once it has started; exits with the reason if it cannot start. */
export async function localDatabase(shutdown: Shutdown): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  // Imported only when needed: a command given its own DATABASE_URL never loads the embedded database.
  const { DEFAULT_DATA_DIR, EmbeddedDatabaseBusyError, startEmbeddedDatabase } = await import('@/db/embedded');
  try {
    const { url } = shutdown.add('the embedded database', await startEmbeddedDatabase());
    console.log(`▸ Embedded PostgreSQL started (${new URL(url).host}, data in ${DEFAULT_DATA_DIR})`);
    return url;
  } catch (error) {
    console.error(error instanceof EmbeddedDatabaseBusyError ? error.message : `Could not start the embedded database: ${error}`);
    process.exit(1);
  }
}
