// npm run demo: migrate, seed if empty, start the inventory service, build, and serve on http://localhost:3000
// (PORT, HOST, DATABASE_URL, INVENTORY_API_URL honoured). Without DATABASE_URL the embedded PostgreSQL runs
// for as long as the app does. Ctrl-C (or SIGTERM) stops everything this script started, in order: the app
// stops accepting and finishes the requests it is serving, then the inventory service, then the database.
// None of them outlives this script, even if it is killed (scripts/process/supervise.ts). One demo per folder
// (scripts/process/demo-lock.ts).
// `--edge`: the edge cache (Varnish, deploy/varnish/) serves on PORT, the app on PORT+1; every invalidation purges it.
import { parseArgs } from 'node:util';
import { createDatabase } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { seed } from '@/db/seed';
import { parseSecrets } from '@/lib/webhooks/secrets';
import { waitForHttp } from './cluster-env';
import { VARNISH_MISSING, findVarnishd, newPurgeSecret, startEdge } from './edge-env';
import { appSecrets } from './local-secret';
import { claimDemo, secondDemoMessage } from './process/demo-lock';
import { Shutdown, spawnTied } from './process/supervise';

const NEXT = 'node_modules/next/dist/bin/next';
const port = process.env.PORT ?? '3000';
// Loopback by default: a demo should not be reachable from the network unless asked (HOST=0.0.0.0).
const host = process.env.HOST ?? '127.0.0.1';
const inventoryPort = process.env.INVENTORY_PORT ?? '4100';
const appUrl = `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}`;
const { values: options } = parseArgs({ options: { edge: { type: 'boolean', default: false } } });
// Checked before anything starts; without --edge Varnish is never needed.
if (options.edge && !findVarnishd()) {
  console.error(VARNISH_MISSING);
  process.exit(1);
}
// With the edge, the app itself listens on loopback, one port up; the public origin (PORT, SITE_URL) is the edge's.
const appPort = options.edge ? String(Number(port) + 1) : port;
const appHost = options.edge ? '127.0.0.1' : host;
const purgeSecret = newPurgeSecret();

const claim = claimDemo(process.cwd());
if (!claim.claimed) {
  console.error(secondDemoMessage(claim.running));
  process.exit(1);
}
process.on('exit', () => claim.release());
claim.update({ distDir: process.env.NEXT_DIST_DIR || '.next' });

let exitCode = 0;
const shutdown = new Shutdown();
shutdown.onSignals(
  () => exitCode,
  (signal) => console.log(`\n▸ ${signal}: stopping the app (finishing its requests), the inventory service, then the database`),
);
/** After a signal, start nothing more: the shutdown in progress exits the process. */
const unlessStopping = () => (shutdown.started ? new Promise<never>(() => {}) : Promise.resolve());
async function fail(code: number) {
  exitCode = code;
  await shutdown.run();
  process.exit(code);
}

let url = process.env.DATABASE_URL;
if (!url) {
  // Imported only when needed: a demo given its own DATABASE_URL never loads the embedded database.
  const { DEFAULT_DATA_DIR, EmbeddedDatabaseBusyError, startEmbeddedDatabase } = await import('@/db/embedded');
  try {
    url = shutdown.add('the embedded database', await startEmbeddedDatabase()).url;
    console.log(`▸ Embedded PostgreSQL started (data in ${DEFAULT_DATA_DIR})`);
  } catch (error) {
    console.error(error instanceof EmbeddedDatabaseBusyError ? error.message : `Could not start the embedded database: ${error}`);
    process.exit(1);
  }
}
claim.update({ databaseUrl: url });

try {
  await unlessStopping();
  console.log('▸ Applying migrations');
  await runMigrations(url);
  const { db, sql } = createDatabase(url, { max: 1 });
  const seeded = await seed(db, { ifEmpty: true }).finally(() => sql.end());
  console.log(seeded ? `▸ Seeded ${seeded} demo posts` : '▸ Database already has content');
  await unlessStopping();

  const secrets = appSecrets();
  let inventoryUrl = process.env.INVENTORY_API_URL;
  if (!inventoryUrl) {
    inventoryUrl = `http://127.0.0.1:${inventoryPort}`;
    const appHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    console.log(`▸ Starting the inventory service on ${inventoryUrl} (data in .data/inventory)`);
    shutdown.add(
      'the inventory service',
      spawnTied('inventory service', process.execPath, ['--import', 'tsx', 'inventory/server.ts'], {
        env: {
          ...process.env,
          INVENTORY_PORT: inventoryPort,
          INVENTORY_WEBHOOK_URL: `http://${appHost}:${port}/api/revalidate`,
          INVENTORY_WEBHOOK_SECRET: parseSecrets(secrets.REVALIDATE_SECRET)[0],
        },
      }),
    );
  }
  claim.update({ inventoryUrl });

  // `next start` sets PORT to the port it listens on: behind the edge the public origin must be said outright.
  const edgeEnv = options.edge ? { EDGE_PURGE_URL: `http://127.0.0.1:${port}/`, EDGE_PURGE_SECRET: purgeSecret, SITE_URL: process.env.SITE_URL || appUrl } : {};
  const env = { ...process.env, DATABASE_URL: url, ...secrets, INVENTORY_API_URL: inventoryUrl, NEXT_TELEMETRY_DISABLED: '1', PORT: port, ...edgeEnv };
  console.log('▸ Building (next build)');
  const built = await shutdown.add('next build', spawnTied('next build', process.execPath, [NEXT, 'build'], { env })).exited;
  await unlessStopping();
  if (built !== 0) await fail(built);

  if (!options.edge) console.log(`▸ Serving on ${appUrl}  (Ctrl-C stops the app, the inventory service and the database)`);
  else console.log(`▸ Starting the app on http://127.0.0.1:${appPort}`);
  const app = shutdown.add('the app', spawnTied('next start', process.execPath, [NEXT, 'start', '-H', appHost, '-p', appPort], { env }));
  if (options.edge) {
    await waitForHttp(`http://127.0.0.1:${appPort}/feed.xml`, { name: 'next start', exited: app.exited }, 120_000);
    await unlessStopping();
    const distDir = process.env.NEXT_DIST_DIR || '.next';
    const edge = shutdown.add('the edge', await startEdge({ host, port: Number(port), backends: [{ name: 'app', host: '127.0.0.1', port: Number(appPort) }], purgeSecret, distDir }));
    void edge.proc.exited.then((code) => {
      if (!shutdown.started) void fail(code || 1);
    });
    console.log(`▸ Serving on ${appUrl} through the edge cache (Varnish; x-edge-cache says HIT, STALE, MISS or PASS)  (Ctrl-C stops the edge, the app, the inventory service and the database)`);
  }
  claim.update({ appUrl });
  const code = await app.exited;
  await unlessStopping();
  await fail(code);
} catch (error) {
  console.error(error);
  await fail(1);
}
