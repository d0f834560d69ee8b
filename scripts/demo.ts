// npm run demo: migrate, seed if empty, start the inventory service, build, and serve on http://localhost:3000
// (PORT, HOST, DATABASE_URL, INVENTORY_API_URL honoured). Without DATABASE_URL the embedded PostgreSQL runs
// for as long as the app does; Ctrl-C stops everything this script started.
import { spawn, type ChildProcess } from 'node:child_process';
import { createDatabase } from '@/db/client';
import { EmbeddedDatabaseBusyError, startEmbeddedDatabase } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { seed } from '@/db/seed';
import { parseSecrets } from '@/lib/webhooks/secrets';
import { appSecrets } from './local-secret';

const NEXT = 'node_modules/next/dist/bin/next';
const port = process.env.PORT ?? '3000';
// Loopback by default: a demo should not be reachable from the network unless asked (HOST=0.0.0.0).
const host = process.env.HOST ?? '127.0.0.1';
const inventoryPort = process.env.INVENTORY_PORT ?? '4100';

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

const secrets = appSecrets();
const children = new Set<ChildProcess>();
let stopping = false;
const shutdown = async (code: number) => {
  stopping = true;
  await Promise.all([...children].map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : (c.once('exit', resolve), c.kill('SIGTERM'))))));
  await stopDatabase();
  process.exit(code);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

function start(command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}
const exited = (child: ChildProcess) => new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));

try {
  console.log('▸ Applying migrations');
  await runMigrations(url);
  const { db, sql } = createDatabase(url, { max: 1 });
  const seeded = await seed(db, { ifEmpty: true }).finally(() => sql.end());
  console.log(seeded ? `▸ Seeded ${seeded} demo posts` : '▸ Database already has content');

  let inventoryUrl = process.env.INVENTORY_API_URL;
  if (!inventoryUrl) {
    inventoryUrl = `http://127.0.0.1:${inventoryPort}`;
    const appHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    console.log(`▸ Starting the inventory service on ${inventoryUrl} (data in .data/inventory)`);
    start('node_modules/.bin/tsx', ['inventory/server.ts'], {
      INVENTORY_PORT: inventoryPort,
      INVENTORY_WEBHOOK_URL: `http://${appHost}:${port}/api/revalidate`,
      INVENTORY_WEBHOOK_SECRET: parseSecrets(secrets.REVALIDATE_SECRET)[0],
    });
  }

  const appEnv = { DATABASE_URL: url, ...secrets, INVENTORY_API_URL: inventoryUrl, NEXT_TELEMETRY_DISABLED: '1', PORT: port };
  console.log('▸ Building (next build)');
  const built = await exited(start(process.execPath, [NEXT, 'build'], appEnv));
  if (built !== 0 || stopping) await shutdown(built || 0);
  console.log(`▸ Serving on http://${host === '127.0.0.1' ? 'localhost' : host}:${port}  (Ctrl-C stops the app, the inventory service and the database)`);
  const code = await exited(start(process.execPath, [NEXT, 'start', '-H', host, '-p', port], appEnv));
  if (!stopping) await shutdown(code);
} catch (error) {
  console.error(error);
  await shutdown(1);
}
