// npm run demo: migrate, seed if empty, build, and serve on http://localhost:3000 (PORT, HOST, DATABASE_URL
// honoured). Without DATABASE_URL the embedded PostgreSQL runs for as long as the app does.
import { spawn } from 'node:child_process';
import { createDatabase } from '@/db/client';
import { EmbeddedDatabaseBusyError, startEmbeddedDatabase } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { seed } from '@/db/seed';
import { appSecrets } from './local-secret';

const NEXT = 'node_modules/next/dist/bin/next';
const port = process.env.PORT ?? '3000';
// Loopback by default: a demo should not be reachable from the network unless asked (HOST=0.0.0.0).
const host = process.env.HOST ?? '127.0.0.1';

let stopDatabase = async () => {};
let url = process.env.DATABASE_URL;
if (!url) {
  try {
    const embedded = await startEmbeddedDatabase();
    ({ url, stop: stopDatabase } = embedded);
    console.log('▸ Embedded PostgreSQL started (data in .data/postgres)');
  } catch (error) {
    console.error(error instanceof EmbeddedDatabaseBusyError ? error.message : `Could not start the embedded database: ${error}`);
    process.exit(1);
  }
}

let child: ReturnType<typeof spawn> | undefined;
let stopping = false;
const shutdown = async (code: number) => {
  stopping = true;
  child?.kill('SIGTERM');
  await stopDatabase();
  process.exit(code);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

function run(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    child = spawn(process.execPath, [NEXT, ...args], {
      stdio: 'inherit',
      env: { ...process.env, DATABASE_URL: url, ...appSecrets(), NEXT_TELEMETRY_DISABLED: '1', PORT: port },
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

try {
  console.log('▸ Applying migrations');
  await runMigrations(url);
  const { db, sql } = createDatabase(url, { max: 1 });
  const seeded = await seed(db, { ifEmpty: true }).finally(() => sql.end());
  console.log(seeded ? `▸ Seeded ${seeded} demo posts` : '▸ Database already has content');
  console.log('▸ Building (next build)');
  const built = await run(['build']);
  if (built !== 0 || stopping) await shutdown(built || 0);
  console.log(`▸ Serving on http://${host === '127.0.0.1' ? 'localhost' : host}:${port}  (Ctrl-C stops the app and the database)`);
  const code = await run(['start', '-H', host, '-p', port]);
  if (!stopping) await shutdown(code);
} catch (error) {
  console.error(error);
  await shutdown(1);
}
