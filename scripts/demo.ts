// npm run demo: migrate, seed if empty, start the inventory service, build if needed, and serve on
// http://localhost:3000 (PORT, HOST, DATABASE_URL, INVENTORY_PORT, INVENTORY_API_URL honoured). Without DATABASE_URL
// the embedded PostgreSQL runs for as long as the app does. Ctrl-C (or SIGTERM) stops everything this script started,
// in order: the app stops accepting and finishes the requests it is serving, then the inventory service, then the
// database. None of them outlives this script, even if it is killed (scripts/process/supervise.ts). One demo per
// folder (scripts/process/demo-lock.ts). The build is reused when nothing it depends on changed
// (scripts/process/build-stamp.ts); `--rebuild` forces one.
// `--edge`: the edge cache (Varnish, deploy/varnish/) serves on PORT, the app on PORT+1; every invalidation purges it.
import { parseArgs } from 'node:util';
import { DEMO_PASSWORD, seedUsers } from '@/db/seed-data';
import { NEXT_BIN, checkServerActionsKey, portInUse, waitForHttp } from './cluster-env';
import { VARNISH_MISSING, appEnvBehindEdge, findVarnishd, newPurgeSecret, startEdge } from './edge-env';
import { appSecrets, serverActionsKey } from './local-secret';
import { buildInputs, clearStamp, completeBuildId, databaseStamp, rebuildReasons, writeStamp } from './process/build-stamp';
import { claimDemo, secondDemoMessage } from './process/demo-lock';
import { localDatabase, migrateAndSeed, startInventory } from './process/services';
import { Shutdown, spawnTied } from './process/supervise';
import { withServerHeapBound } from './server-heap';

const port = process.env.PORT ?? '3000';
// Loopback by default: a demo should not be reachable from the network unless asked (HOST=0.0.0.0).
const host = process.env.HOST ?? '127.0.0.1';
const inventoryPort = process.env.INVENTORY_PORT ?? '4100';
const appUrl = `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}`;
const { values: options } = parseArgs({ options: { edge: { type: 'boolean', default: false }, rebuild: { type: 'boolean', default: false } } });
const startedAt = performance.now();
// With the edge, the app itself listens on loopback, one port up; the public origin (PORT, SITE_URL) is the edge's.
const appPort = options.edge ? String(Number(port) + 1) : port;
const appHost = options.edge ? '127.0.0.1' : host;
/** Where this machine reaches a server listening on `h`. */
const local = (h: string) => (h === '0.0.0.0' || h === '::' ? '127.0.0.1' : h.includes(':') ? `[${h}]` : h);
function refuse(message: string): never {
  console.error(message);
  process.exit(1);
}
// Checked before anything starts; without --edge Varnish is never needed.
if (options.edge && !findVarnishd()) refuse(VARNISH_MISSING);

const claim = claimDemo(process.cwd());
if (!claim.claimed) refuse(secondDemoMessage(claim.running));
process.on('exit', () => claim.release());
await refuseTakenPorts();
const distDir = process.env.NEXT_DIST_DIR || '.next';
claim.update({ distDir });

/**
 * Every port the demo will listen on must be free, checked before anything starts (as `npm run cluster` does):
 * otherwise the inventory service would fail mid-build while the demo served on, reading prices from whatever listens
 * there, or the build would run only for `next start` to fail after it. After the claim: a demo already running in
 * this folder holds these ports, and its own message says more.
 */
async function refuseTakenPorts() {
  type Variable = 'PORT' | 'INVENTORY_PORT';
  const wanted: Record<Variable, number> = { PORT: Number(port), INVENTORY_PORT: Number(inventoryPort) };
  const variables: Variable[] = process.env.INVENTORY_API_URL ? ['PORT'] : ['PORT', 'INVENTORY_PORT'];
  /** The ports a PORT or INVENTORY_PORT of `base` would take: [port, host, what for]. */
  const portsFor = (variable: Variable, base: number): [number, string, string][] =>
    variable === 'INVENTORY_PORT'
      ? [[base, '127.0.0.1', 'the inventory service']]
      : options.edge
        ? [[base, host, 'the edge cache'], [base + 1, '127.0.0.1', 'the app behind the edge']]
        : [[base, host, 'the app']];
  const taken = async (base: number, variable: Variable) => {
    const used = await Promise.all(portsFor(variable, base).map(([p, h]) => portInUse(p, h)));
    return portsFor(variable, base).find((_, i) => used[i]);
  };
  for (const variable of variables) {
    const base = wanted[variable];
    if (!Number.isInteger(base) || base < 1 || base > 65_534) refuse(`${variable} must be a port number (got ${process.env[variable]})`);
    const busy = await taken(base, variable);
    if (!busy) continue;
    // A free one to offer: the next base whose ports are all free and clash with none of the other variable's.
    const others = variables.filter((v) => v !== variable).flatMap((v) => portsFor(v, wanted[v]).map(([p]) => p));
    let offer: number | undefined;
    for (let b = base + 1; b < base + 200 && b <= 65_534 && offer === undefined; b++) {
      if (portsFor(variable, b).every(([p]) => !others.includes(p)) && !(await taken(b, variable))) offer = b;
    }
    const how = offer === undefined ? `set ${variable} to a free port` : `e.g. \`${variable}=${offer} npm run demo${options.edge ? ' -- --edge' : ''}\``;
    refuse(`Port ${busy[0]} is in use (needed for ${busy[2]}, ${variable}). Stop what runs there, or pick another port: ${how}.`);
  }
}

const shutdown = new Shutdown();
shutdown.onSignals((signal) => console.log(`\n▸ ${signal}: stopping the app (finishing its requests), the inventory service, then the database`));
const unlessStopping = () => shutdown.unlessStopping();

const url = await localDatabase(shutdown);
claim.update({ databaseUrl: url });
try {
  await unlessStopping();
  await migrateAndSeed(url);
  await unlessStopping();
  const inventoryUrl = process.env.INVENTORY_API_URL || (await startInventory(shutdown, inventoryPort, `http://${local(host)}:${port}`));
  claim.update({ inventoryUrl });
  const env = environment(url, inventoryUrl);
  await buildIfNeeded(env, url);

  console.log(`▸ Starting the app on http://${local(appHost)}:${appPort}`);
  const app = shutdown.add('the app', spawnTied('next start', process.execPath, [NEXT_BIN, 'start', '-H', appHost, '-p', appPort], { env: withServerHeapBound(env) }));
  await waitForHttp(`http://${local(appHost)}:${appPort}/sign-in`, { name: 'next start', exited: app.exited }, 120_000);
  await unlessStopping();
  if (options.edge) {
    const backends = [{ name: 'app', host: '127.0.0.1', port: Number(appPort) }];
    const edge = shutdown.add('the edge', await startEdge({ host, port: Number(port), backends, purgeSecret: env.EDGE_PURGE_SECRET!, distDir }));
    void edge.proc.exited.then((code) => {
      if (!shutdown.started) void shutdown.exit(code || 1);
    });
  }
  claim.update({ appUrl });
  const through = options.edge ? ' through the edge cache (Varnish; x-edge-cache says HIT, STALE, MISS or PASS)' : '';
  console.log(`▸ Serving on ${appUrl}${through}  (Ctrl-C stops ${options.edge ? 'the edge, ' : ''}the app, the inventory service and the database)`);
  console.log(`▸ Up in ${((performance.now() - startedAt) / 1000).toFixed(1)} s. ${signInHelp()}`);
  const code = await app.exited;
  await unlessStopping();
  await shutdown.exit(code);
} catch (error) {
  await unlessStopping(); // a Ctrl-C while starting: the app exiting is expected, not an error
  console.error(error);
  await shutdown.exit(1);
}

function environment(databaseUrl: string, inventoryUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    ...appSecrets(),
    // Kept in .data/: it salts the Server Action ids, so a rebuild of unchanged code keeps them too.
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: checkServerActionsKey(process.env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY || serverActionsKey()),
    // The sign-in page lists the demo accounts only when this is set: never in a production build by default.
    DEMO_ACCOUNTS: process.env.DEMO_ACCOUNTS ?? '1',
    INVENTORY_API_URL: inventoryUrl,
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: port,
    // `next start` sets PORT to the port it listens on: behind the edge the public origin must be said outright. The
    // app trusts the edge's X-Forwarded-For (TRUST_PROXY), or every client would be 127.0.0.1 to its limits.
    ...(options.edge && appEnvBehindEdge({ edgePort: Number(port), purgeSecret: newPurgeSecret(), siteUrl: appUrl })),
  };
}

/**
 * `next build`, unless the last one was made from the same sources, settings, Node and Next, and database: it
 * prerenders from the database, so a migration or a first seed is a reason to rebuild too (the database's stamp,
 * taken after them, covers both).
 */
async function buildIfNeeded(env: NodeJS.ProcessEnv, databaseUrl: string) {
  const inputs = buildInputs(process.cwd(), env, await databaseStamp(databaseUrl));
  const reasons = options.rebuild ? ['--rebuild given'] : rebuildReasons(distDir, inputs);
  if (reasons.length === 0) {
    console.log(`▸ Build is up to date (build ${completeBuildId(distDir)} in ${distDir}: sources, settings and database unchanged); starting without a rebuild`);
    return;
  }
  for (const reason of reasons) console.log(`▸ ${reason}: building…`);
  console.log('▸ Building (next build)');
  clearStamp(distDir);
  const built = await shutdown.add('next build', spawnTied('next build', process.execPath, [NEXT_BIN, 'build'], { env })).exited;
  await unlessStopping();
  if (built !== 0) await shutdown.exit(built);
  writeStamp(distDir, inputs);
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
