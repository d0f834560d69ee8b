// npm run cluster: the app as several instances would run it in production, on one machine. Checks that Redis
// answers (REDIS_URL, default redis://127.0.0.1:6379), migrates and seeds the database if empty (embedded unless
// DATABASE_URL is set), starts the inventory service, builds ONCE (into .next-cluster, with one Server Actions key and
// one deployment id), starts two `next start` instances of that build on 127.0.0.1:PORT+1 and PORT+2, and nginx
// (deploy/nginx/cluster.conf.template) on PORT (default 3000) alternating between them.
// Ctrl-C or SIGTERM stops, in order: nginx, the instances (they finish their requests), the inventory service, the
// database. Every process it starts is tied to it (scripts/process/supervise.ts): none outlives it, even if it is killed.
// `--edge`: Varnish (deploy/varnish/, the edge cache, purged by the instances' invalidations) on PORT instead of nginx;
// it balances between the instances itself.
import { parseArgs } from 'node:util';
import {
  DEFAULT_REDIS_URL,
  INSTANCE_NAMES,
  NEXT_BIN,
  NGINX_MISSING,
  deploymentEnv,
  findNginx,
  portInUse,
  redactRedisUrl,
  requireRedis,
  startCluster,
  startProcess,
  type Cluster,
} from './cluster-env';
import { VARNISH_MISSING, findVarnishd, newPurgeSecret, startEdge, type Edge } from './edge-env';
import { appSecrets } from './local-secret';
import { localDatabase, migrateAndSeed, startInventory } from './process/services';
import { Shutdown } from './process/supervise';

// Everything that can be refused is checked before anything is started.
const port = Number(process.env.PORT ?? 3000);
// Loopback by default: reachable from the network only if asked (HOST=0.0.0.0). The instances stay on loopback.
const host = process.env.HOST ?? '127.0.0.1';
const ports = { lb: port, a: port + 1, b: port + 2 };
const inventoryPort = Number(process.env.INVENTORY_PORT ?? 4100);
const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
const distDir = '.next-cluster';
const { values: options } = parseArgs({ options: { edge: { type: 'boolean', default: false } } });
const edge = options.edge;
const front = edge ? 'Varnish' : 'nginx';
const say = (line: string) => console.log(`▸ ${line}`);
function refuse(message: string): never {
  console.error(message);
  process.exit(1);
}
if (!Number.isInteger(port) || port < 1 || port > 65_533) refuse(`PORT must be a port number (got ${process.env.PORT})`);
await requireRedis(redisUrl).catch((error: Error) => refuse(error.message));
if (edge ? !findVarnishd() : !findNginx()) refuse(edge ? VARNISH_MISSING : NGINX_MISSING);
const needed: [number, string, string][] = [
  [ports.lb, host, 'the load balancer'],
  [ports.a, '127.0.0.1', 'instance a'],
  [ports.b, '127.0.0.1', 'instance b'],
  ...(process.env.INVENTORY_API_URL ? [] : [[inventoryPort, '127.0.0.1', 'the inventory service (INVENTORY_PORT)'] as [number, string, string]]),
];
for (const [p, h, what] of needed) {
  if (await portInUse(p, h)) refuse(`Port ${p} is in use (needed for ${what}). Stop what runs there, or choose another PORT.`);
}

// Each step says how long it took to stop; the build's is left out: it has long finished by then, or was cut short.
const shutdown = new Shutdown((name, ms) => name !== 'next build' && say(`Stopped ${name} (${Math.round(ms)} ms)`));
// Stopped in the reverse of the order they are added: nginx, then the instances (they finish their requests), then
// the build if one runs, the inventory service, the database.
shutdown.onSignals((signal) => say(`${signal}: stopping ${front}, the instances (finishing their requests), the inventory service, then the database`));
async function fail(message: string): Promise<never> {
  if (!shutdown.started) console.error(message);
  return shutdown.exit(1);
}
const unlessStopping = () => shutdown.unlessStopping();

try {
  const url = await localDatabase(shutdown);
  await unlessStopping();
  await migrateAndSeed(url);
  await unlessStopping();

  const secrets = appSecrets();
  // It notifies the app through the front (nginx or Varnish), as another system would.
  const inventoryUrl = process.env.INVENTORY_API_URL || (await startInventory(shutdown, String(inventoryPort), `http://127.0.0.1:${port}`));

  // One Server Actions key and one deployment id, for the build and for every instance.
  const deployment = deploymentEnv();
  // With the edge: where and how the instances purge it (a new secret per run), and the public origin is its own.
  const purgeSecret = newPurgeSecret();
  const edgeEnv = edge ? { EDGE_PURGE_URL: `http://127.0.0.1:${port}/`, EDGE_PURGE_SECRET: purgeSecret, SITE_URL: process.env.SITE_URL || `http://localhost:${port}` } : {};
  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    ...secrets,
    ...deployment,
    INVENTORY_API_URL: inventoryUrl,
    REDIS_URL: redisUrl,
    NEXT_TELEMETRY_DISABLED: '1',
    ...edgeEnv,
  };
  say(`Building once into ${distDir} (deployment ${deployment.NEXT_DEPLOYMENT_ID})`);
  const build = shutdown.add('next build', startProcess('build', process.execPath, [NEXT_BIN, 'build'], { ...appEnv, NEXT_DIST_DIR: distDir }));
  const built = await build.exited;
  await unlessStopping();
  if (built !== 0) await fail(`next build failed (exit code ${built})`);
  // The build pointed next-env.d.ts at ${distDir}: point it back at .next for editors and tsc (as npm test does).
  await startProcess('typegen', process.execPath, [NEXT_BIN, 'typegen'], { ...appEnv, NEXT_DIST_DIR: '' }, () => {}).exited;
  await unlessStopping();

  say(`Starting instances a and b on 127.0.0.1:${ports.a} and :${ports.b}, and ${front} on ${host}:${port}`);
  // Registered before they start, so a Ctrl-C during the start stops what did start.
  const running: { cluster?: Cluster; varnish?: Edge } = {};
  shutdown.add('the instances', { stop: async () => running.cluster?.stop() });
  shutdown.add(front, { stop: async () => (edge ? running.varnish?.stop() : running.cluster?.nginx?.stop()) });
  const cluster = (running.cluster = await startCluster({ env: appEnv, distDir, ports, nginx: !edge, host, keepCopies: true }));
  await unlessStopping();
  if (edge) {
    running.varnish = await startEdge({
      host,
      port,
      backends: INSTANCE_NAMES.map((name) => ({ name: `instance_${name}`, host: '127.0.0.1', port: ports[name] })),
      purgeSecret,
      distDir,
    });
    await unlessStopping();
  }
  const frontProc = edge ? running.varnish!.proc : cluster.nginx!.proc;
  const lb = new URL(edge ? running.varnish!.url : cluster.lbUrl!);
  console.log(
    [
      '',
      edge
        ? `  Edge cache     http://${['127.0.0.1', '0.0.0.0', '::'].includes(host) ? 'localhost' : lb.hostname}:${lb.port}  (Varnish, round robin; x-edge-cache says HIT, STALE, MISS or PASS)`
        : `  Load balancer  http://${['127.0.0.1', '0.0.0.0', '::'].includes(host) ? 'localhost' : lb.hostname}:${lb.port}  (nginx, round robin; the x-upstream header names the instance)`,
      `  Instance a     ${cluster.urlA}`,
      `  Instance b     ${cluster.urlB}`,
      `  Redis          ${redactRedisUrl(redisUrl)}`,
      ...(edge ? [] : [`  nginx          ${cluster.nginx!.prefix} (config, access.log)`]),
      '',
      `  Ctrl-C stops ${front}, the instances, the inventory service and the database, in that order.`,
      '',
    ].join('\n'),
  );

  // An instance that dies is reported, and the front (nginx or Varnish) sends everything to the other; with none left, or no front, stop.
  const lost = new Set<string>();
  for (const name of INSTANCE_NAMES) {
    void cluster.instances[name].proc()!.exited.then((code) => {
      if (shutdown.started) return;
      lost.add(name);
      console.error(`▸ Instance ${name} exited (code ${code}); ${front} sends its requests to the other.`);
      if (lost.size === INSTANCE_NAMES.length) void fail('▸ No instance left: stopping.');
    });
  }
  void frontProc.exited.then((code) => {
    if (!shutdown.started) void fail(`▸ ${front} exited (code ${code}): stopping.`);
  });
} catch (error) {
  await fail(error instanceof Error ? error.message : String(error));
}
