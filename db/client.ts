import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Database = PostgresJsDatabase<typeof schema>;

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set. Run the app through `npm run demo`, `npm start` or `npm run dev`, which start the ' +
        'embedded database for you, or set DATABASE_URL to a PostgreSQL server.',
    );
  }
  return url;
}

export function createDatabase(url: string, options: postgres.Options<{}> = {}) {
  const sql = postgres(url, { max: 10, onnotice: () => {}, ...options });
  return { sql, db: drizzle({ client: sql, schema }) };
}

// One pool per process. Kept on globalThis so `next dev` hot reloads reuse it instead of leaking pools.
const globalForDb = globalThis as unknown as { __ntcDb?: ReturnType<typeof createDatabase> };

/** The app's database, connected on first use (so importing this module never needs DATABASE_URL). */
export function getDb(): Database {
  globalForDb.__ntcDb ??= createDatabase(databaseUrl(), { max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  return globalForDb.__ntcDb.db;
}

/** A transaction handle; query functions that may run inside one accept `Executor`. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Executor = Database | Transaction;
