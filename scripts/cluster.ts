// npm run cluster: the app as several instances would run it in production, on one machine. Checks that Redis
// answers (REDIS_URL, default redis://127.0.0.1:6379), migrates and seeds the database if empty (embedded unless
// DATABASE_URL is set), starts the inventory service, builds ONCE (into .next-cluster, with one Server Actions key and
// one deployment id), starts two `next start` instances of that build on 127.0.0.1:PORT+1 and PORT+2, and nginx
// (deploy/nginx/cluster.conf.template) on PORT (default 3000) alternating between them.
// Ctrl-C or SIGTERM stops, in order: nginx, the instances (they finish their requests), the inventory service, the
// database.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase } from '@/db/client';
import { EmbeddedDatabaseBusyError, startEmbeddedDatabase } from '@/db/embedded';
import { runMigrations } from '@/db/migrate';
import { seed } from '@/db/seed';
import { parseSecrets } from '@/lib/webhooks/secrets';
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
  waitForHttp,
  type Cluster,
  type Proc,
} from './cluster-env';
import { appSecrets } from './local-secret';

// A terminal's Ctrl-C signals every process in its foreground group at once: the database and the instances would
// all stop together, mid-request. So the real work runs in a process group of its own, and this first process only
// turns Ctrl-C / SIGTERM into one SIGTERM for it, which then stops everything in order. If this process is killed
// outright, the IPC channel closes and the worker shuts down in order too: nothing is left running.
const WORKER = 'NTC_CLUSTER_WORKER';
if (!process.env[WORKER]) {
  const worker = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [WORKER]: '1' },
  });
  let signalled = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (!signalled) worker.kill('SIGTERM');
      signalled = true;
    });
  }
  worker.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await main();
}

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  // Loopback by default: reachable from the network only if asked (HOST=0.0.0.0). The instances stay on loopback.
  const host = process.env.HOST ?? '127.0.0.1';
  const ports = { lb: port, a: port + 1, b: port + 2 };
  const inventoryPort = Number(process.env.INVENTORY_PORT ?? 4100);
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const distDir = '.next-cluster';
  const say = (line: string) => console.log(`▸ ${line}`);

  const fail = (message: string) => {
    console.error(message);
    process.exit(1);
  };
  // Everything that can be refused is checked before anything is started.
  if (!Number.isInteger(port) || port < 1 || port > 65_533) fail(`PORT must be a port number (got ${process.env.PORT})`);
  try {
    await requireRedis(redisUrl);
  } catch (error) {
    fail((error as Error).message);
  }
  if (!findNginx()) fail(NGINX_MISSING);
  for (const [name, p] of Object.entries(ports)) {
    if (await portInUse(p, name === 'lb' ? host : '127.0.0.1')) fail(`Port ${p} is in use (needed for ${name === 'lb' ? 'the load balancer' : `instance ${name}`}). Stop what runs there, or choose another PORT.`);
  }

  let stopping = false;
  let stopDatabase = async () => {};
  let inventory: Proc | undefined;
  let build: Proc | undefined;
  let cluster: Cluster | undefined;
  let shuttingDown: Promise<never> | undefined;
  const shutdown = (code: number) =>
    (shuttingDown ??= (async () => {
      stopping = true;
      if (cluster) say('Stopping nginx, then the instances (they finish the requests in flight)');
      await build?.stop('SIGTERM');
      await cluster?.stop();
      if (inventory) say('Stopping the inventory service');
      await inventory?.stop('SIGTERM');
      await stopDatabase();
      process.exit(code);
    })());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));
  // The first process is gone (killed outright): stop everything rather than run on unattended.
  process.on('disconnect', () => void shutdown(1));

  try {
    let url = process.env.DATABASE_URL;
    if (!url) {
      try {
        ({ url, stop: stopDatabase } = await startEmbeddedDatabase());
      } catch (error) {
        throw new Error(error instanceof EmbeddedDatabaseBusyError ? error.message : `Could not start the embedded database: ${error}`);
      }
      say('Embedded PostgreSQL started (data in .data/postgres), shared by both instances');
    }
    say('Applying migrations');
    await runMigrations(url);
    const { db, sql } = createDatabase(url, { max: 1 });
    const seeded = await seed(db, { ifEmpty: true }).finally(() => sql.end());
    say(seeded ? `Seeded ${seeded} demo posts` : 'Database already has content');

    const secrets = appSecrets();
    let inventoryUrl = process.env.INVENTORY_API_URL;
    if (!inventoryUrl) {
      inventoryUrl = `http://127.0.0.1:${inventoryPort}`;
      say(`Starting the inventory service on ${inventoryUrl} (data in .data/inventory); it notifies the app through nginx`);
      inventory = startProcess('inventory', path.resolve('node_modules/.bin/tsx'), ['inventory/server.ts'], {
        ...process.env,
        INVENTORY_PORT: String(inventoryPort),
        INVENTORY_WEBHOOK_URL: `http://127.0.0.1:${port}/api/revalidate`,
        INVENTORY_WEBHOOK_SECRET: parseSecrets(secrets.REVALIDATE_SECRET)[0],
      });
      await waitForHttp(`${inventoryUrl}/health`, inventory, 30_000);
    }

    // One key and one deployment id for the build and for every instance.
    const deployment = deploymentEnv();
    const appEnv: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: url,
      ...secrets,
      ...deployment,
      INVENTORY_API_URL: inventoryUrl,
      REDIS_URL: redisUrl,
      NEXT_TELEMETRY_DISABLED: '1',
    };
    say(`Building once into ${distDir} (deployment ${deployment.NEXT_DEPLOYMENT_ID})`);
    build = startProcess('build', process.execPath, [NEXT_BIN, 'build'], { ...appEnv, NEXT_DIST_DIR: distDir });
    const built = await build.exited;
    build = undefined;
    if (stopping) return;
    if (built !== 0) throw new Error(`next build failed (exit code ${built})`);
    // The build pointed next-env.d.ts at ${distDir}: point it back at .next for editors and tsc (as npm test does).
    await startProcess('typegen', process.execPath, [NEXT_BIN, 'typegen'], { ...appEnv, NEXT_DIST_DIR: '' }, () => {}).exited;
    if (stopping) return;

    say(`Starting instances a and b on 127.0.0.1:${ports.a} and :${ports.b}, and nginx on ${host}:${port}`);
    cluster = await startCluster({ env: appEnv, distDir, ports, nginx: true, host });
    if (stopping) return;
    const lb = new URL(cluster.lbUrl!);
    console.log(
      [
        '',
        `  Load balancer  http://${['127.0.0.1', '0.0.0.0', '::'].includes(host) ? 'localhost' : lb.hostname}:${lb.port}  (nginx, round robin; the x-upstream header names the instance)`,
        `  Instance a     ${cluster.urlA}`,
        `  Instance b     ${cluster.urlB}`,
        `  Redis          ${redactRedisUrl(redisUrl)}`,
        `  nginx          ${cluster.nginx!.prefix} (config, access.log)`,
        '',
        '  Ctrl-C stops nginx, the instances, the inventory service and the database, in that order.',
        '',
      ].join('\n'),
    );

    // An instance that dies is reported, and nginx sends everything to the other; with none left, or no nginx, stop.
    const lost = new Set<string>();
    const running = cluster;
    for (const name of INSTANCE_NAMES) {
      void running.instances[name].proc()!.exited.then((code) => {
        if (stopping) return;
        lost.add(name);
        console.error(`▸ Instance ${name} exited (code ${code}); nginx sends its requests to the other.`);
        if (lost.size === INSTANCE_NAMES.length) {
          console.error('▸ No instance left: stopping.');
          void shutdown(1);
        }
      });
    }
    void running.nginx!.proc.exited.then((code) => {
      if (stopping) return;
      console.error(`▸ nginx exited (code ${code}): stopping.`);
      void shutdown(1);
    });
  } catch (error) {
    if (!stopping) console.error(error instanceof Error ? error.message : error);
    await shutdown(1);
  }
}
