// What the local orchestrators (with-db, demo, cluster) start beside the app: the database, DATABASE_URL's as it is or
// the embedded PostgreSQL in .data/postgres (EMBEDDED_PG_DIR), migrated and seeded if empty; and the inventory
// service. Each is stopped by the orchestrator's shutdown, after the app. Modules are imported where they are used:
// with-db, which needs only the database (and only when DATABASE_URL is unset), loads nothing else.
import type { Shutdown } from './supervise';

/** DATABASE_URL, or the embedded database's once it has started; exits with the reason if it cannot start. */
export async function localDatabase(shutdown: Shutdown): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
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

/** Applies the migrations, then seeds the demo content if the database is empty. */
export async function migrateAndSeed(url: string): Promise<void> {
  const [{ runMigrations }, { createDatabase }, { seed }] = await Promise.all([import('@/db/migrate'), import('@/db/client'), import('@/db/seed')]);
  console.log('▸ Applying migrations');
  await runMigrations(url);
  const { db, sql } = createDatabase(url, { max: 1 });
  const seeded = await seed(db, { ifEmpty: true }).finally(() => sql.end());
  console.log(seeded ? `▸ Seeded ${seeded} demo posts` : '▸ Database already has content');
}

/** The inventory service on 127.0.0.1:`port`, announcing its changes to the app at `appOrigin`; its URL once it answers. */
export async function startInventory(shutdown: Shutdown, port: string, appOrigin: string): Promise<string> {
  const [{ parseSecrets }, { startProcess, waitForHttp }, { appSecrets }] = await Promise.all([import('@/lib/webhooks/secrets'), import('../cluster-env'), import('../local-secret')]);
  const url = `http://127.0.0.1:${port}`;
  console.log(`▸ Starting the inventory service on ${url} (data in .data/inventory); it notifies the app at ${appOrigin}`);
  const env = {
    ...process.env,
    INVENTORY_PORT: port,
    INVENTORY_WEBHOOK_URL: `${appOrigin}/api/revalidate`,
    INVENTORY_WEBHOOK_SECRET: parseSecrets(appSecrets().REVALIDATE_SECRET)[0],
  };
  const proc = shutdown.add('the inventory service', startProcess('inventory', process.execPath, ['--import', 'tsx', 'inventory/server.ts'], env));
  await waitForHttp(`${url}/health`, proc, 30_000);
  return url;
}
