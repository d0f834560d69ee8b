// npm run demo: migrate, seed if empty, start the inventory service, build, and serve on http://localhost:3000
// (PORT, HOST, DATABASE_URL, INVENTORY_API_URL honoured). Without DATABASE_URL the embedded PostgreSQL runs
// for as long as the app does. Ctrl-C (or SIGTERM) stops everything this script started, in order: the app
// stops accepting and finishes the requests it is serving, then the inventory service, then the database.
// None of them outlives this script, even if it is killed (scripts/process/supervise.ts). One demo per folder
// (scripts/process/demo-lock.ts).
// `--edge`: the edge cache (Varnish, deploy/varnish/) serves on PORT, the app on PORT+1; every invalidation purges it.
// The build is reused when nothing it depends on changed (scripts/process/build-stamp.ts); `--rebuild` forces one.
import { parseArgs } from 'node:util';
import { createDatabase } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import { seed } from '@/db/seed';
import { DEMO_PASSWORD, seedUsers } from '@/db/seed-data';
import { parseSecrets } from '@/lib/webhooks/secrets';
import { checkServerActionsKey, portInUse, waitForHttp } from './cluster-env';
import { VARNISH_MISSING, appEnvBehindEdge, findVarnishd, newPurgeSecret, startEdge } from './edge-env';
import { appSecrets, serverActionsKey } from './local-secret';
import { buildInputs, clearStamp, completeBuildId, countMigrations, databaseStamp, rebuildReasons, writeStamp } from './process/build-stamp';
import { claimDemo, secondDemoMessage } from './process/demo-lock';
import { Shutdown, spawnTied } from './process/supervise';
import { withServerHeapBound } from './server-heap';

const NEXT = 'node_modules/next/dist/bin/next';
const port = process.env.PORT ?? '3000';
// Loopback by default: a demo should not be reachable from the network unless asked (HOST=0.0.0.0).
const host = process.env.HOST ?? '127.0.0.1';
const inventoryPort = process.env.INVENTORY_PORT ?? '4100';
const appUrl = `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}`;
const { values: options } = parseArgs({ options: { edge: { type: 'boolean', default: false }, rebuild: { type: 'boolean', default: false } } });
const startedAt = performance.now();
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

// Every port it will listen on must be free, checked before anything starts (as `npm run cluster` does, with its
// check): otherwise the inventory service would fail mid-build while the demo served on, reading prices from whatever
// listens there, or the build would run only for `next start` to fail after it. After the claim: a demo already
// running in this folder holds these ports, and its own message says more.
{
  const inventoryNeeded = !process.env.INVENTORY_API_URL;
  const numbers = { PORT: Number(port), INVENTORY_PORT: Number(inventoryPort) };
  for (const [name, value] of Object.entries(numbers)) {
    if (!Number.isInteger(value) || value < 1 || value > 65_534) {
      console.error(`${name} must be a port number (got ${process.env[name]})`);
      process.exit(1);
    }
  }
  /** The ports a PORT or INVENTORY_PORT of `base` would take. */
  const portsFor = (variable: 'PORT' | 'INVENTORY_PORT', base: number): [number, string, string][] =>
    variable === 'INVENTORY_PORT'
      ? [[base, '127.0.0.1', 'the inventory service']]
      : options.edge
        ? [[base, host, 'the edge cache'], [base + 1, '127.0.0.1', 'the app behind the edge']]
        : [[base, host, 'the app']];
  const names: ('PORT' | 'INVENTORY_PORT')[] = inventoryNeeded ? ['PORT', 'INVENTORY_PORT'] : ['PORT'];
  const variables = names.map((v) => ({ variable: v, ports: portsFor(v, numbers[v]) }));
  const allPorts = variables.flatMap((v) => v.ports.map(([p]) => p));
  for (const { variable, ports } of variables) {
    for (const [p, h, what] of ports) {
      if (!(await portInUse(p, h))) continue;
      // A free one to offer: the next base whose ports are all free and clash with none of the others.
      let offer: number | undefined;
      for (let base = numbers[variable] + 1; base < numbers[variable] + 200 && base <= 65_534 && offer === undefined; base++) {
        const candidate = portsFor(variable, base);
        if (candidate.some(([c]) => allPorts.includes(c) && !ports.some(([q]) => q === c))) continue;
        if ((await Promise.all(candidate.map(([c, ch]) => portInUse(c, ch)))).every((used) => !used)) offer = base;
      }
      const how = offer === undefined ? `set ${variable} to a free port` : `e.g. \`${variable}=${offer} npm run demo${options.edge ? ' -- --edge' : ''}\``;
      console.error(`Port ${p} is in use (needed for ${what}, ${variable}). Stop what runs there, or pick another port: ${how}.`);
      process.exit(1);
    }
  }
}
const distDir = process.env.NEXT_DIST_DIR || '.next';
claim.update({ distDir });

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
  const migrationsBefore = await countMigrations(url);
  await runMigrations(url);
  const migrated = (await countMigrations(url)) - migrationsBefore;
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

  // `next start` sets PORT to the port it listens on: behind the edge the public origin must be said outright. The
  // app trusts the edge's X-Forwarded-For (TRUST_PROXY), or every client would be 127.0.0.1 to its limits.
  const edgeEnv = options.edge ? appEnvBehindEdge({ edgePort: Number(port), purgeSecret, siteUrl: appUrl }) : {};
  const env = {
    ...process.env,
    DATABASE_URL: url,
    ...secrets,
    // Kept in .data/: it salts the Server Action ids, so a rebuild of unchanged code keeps them too.
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: checkServerActionsKey(process.env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY || serverActionsKey()),
    // The sign-in page lists the demo accounts only when this is set: never in a production build by default.
    DEMO_ACCOUNTS: process.env.DEMO_ACCOUNTS ?? '1',
    INVENTORY_API_URL: inventoryUrl,
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: port,
    ...edgeEnv,
  };

  // The build prerenders from the database, so a schema or content change at start (a migration, a first seed) is a
  // reason to rebuild too; after the seed, the database's stamp covers the latter.
  const inputs = buildInputs(process.cwd(), env, await databaseStamp(url));
  const reasons = options.rebuild ? ['--rebuild given'] : rebuildReasons(distDir, inputs);
  if (migrated > 0) reasons.push(`The database schema changed (${migrated} migration${migrated === 1 ? '' : 's'} applied)`);
  if (reasons.length === 0) {
    console.log(`▸ Build is up to date (build ${completeBuildId(distDir)} in ${distDir}: sources, settings and database unchanged); starting without a rebuild`);
  } else {
    for (const reason of new Set(reasons)) console.log(`▸ ${reason}: building…`);
    console.log('▸ Building (next build)');
    clearStamp(distDir);
    const built = await shutdown.add('next build', spawnTied('next build', process.execPath, [NEXT, 'build'], { env })).exited;
    await unlessStopping();
    if (built !== 0) await fail(built);
    writeStamp(distDir, inputs);
  }

  if (!options.edge) console.log(`▸ Serving on ${appUrl}  (Ctrl-C stops the app, the inventory service and the database)`);
  else console.log(`▸ Starting the app on http://127.0.0.1:${appPort}`);
  const app = shutdown.add('the app', spawnTied('next start', process.execPath, [NEXT, 'start', '-H', appHost, '-p', appPort], { env: withServerHeapBound(env) }));
  if (options.edge) {
    await waitForHttp(`http://127.0.0.1:${appPort}/feed.xml`, { name: 'next start', exited: app.exited }, 120_000);
    await unlessStopping();
    const edge = shutdown.add('the edge', await startEdge({ host, port: Number(port), backends: [{ name: 'app', host: '127.0.0.1', port: Number(appPort) }], purgeSecret, distDir }));
    void edge.proc.exited.then((code) => {
      if (!shutdown.started) void fail(code || 1);
    });
    console.log(`▸ Serving on ${appUrl} through the edge cache (Varnish; x-edge-cache says HIT, STALE, MISS or PASS)  (Ctrl-C stops the edge, the app, the inventory service and the database)`);
  }
  claim.update({ appUrl });
  const reachable = appHost === '0.0.0.0' || appHost === '::' ? '127.0.0.1' : appHost.includes(':') ? `[${appHost}]` : appHost;
  await waitForHttp(`http://${reachable}:${appPort}/sign-in`, { name: 'next start', exited: app.exited }, 120_000);
  await unlessStopping();
  console.log(`▸ Up in ${((performance.now() - startedAt) / 1000).toFixed(1)} s. ${signInHelp()}`);
  const code = await app.exited;
  await unlessStopping();
  await fail(code);
} catch (error) {
  await unlessStopping(); // a Ctrl-C while starting: the app exiting is expected, not an error
  console.error(error);
  await fail(1);
}

/** Where to sign in, and the accounts the seed creates (local demo only: their password is public). */
function signInHelp(): string {
  const emails = (role: string) => seedUsers.filter((u) => u.role === role).map((u) => u.email).join(', ');
  return [
    `Sign in at ${appUrl}/sign-in with a demo account, password \`${DEMO_PASSWORD}\`:`,
    `    ${emails('author')}  (authors: each edits their own posts)`,
    `    ${emails('editor')}  (editor: edits every post)`,
  ].join('\n');
}
