// Runs a command with DATABASE_URL set. If it is already set, that server is used as is; otherwise the
// embedded PostgreSQL in .data/postgres (EMBEDDED_PG_DIR) is started for the command and stopped after it.
// REVALIDATE_SECRET and BETTER_AUTH_SECRET, when unset, get the local demo secrets from .data/.
//   node --import tsx scripts/with-db.ts <command> [args…]
// Shutdown order: on SIGINT/SIGTERM/SIGHUP (or if our parent dies) the command is stopped first and may finish
// the requests it is serving, then the database. Neither outlives this process (scripts/process/supervise.ts).
import { appSecrets } from './local-secret';
import { localDatabase } from './process/services';
import { runningDemo } from './process/demo-lock';
import { Shutdown, spawnTied } from './process/supervise';
import { withServerHeapBound } from './server-heap';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node --import tsx scripts/with-db.ts <command> [args…]');
  process.exit(2);
}

// `next build` into the build directory a running demo serves would break it (its Server Actions, its pages' chunks).
const demo = runningDemo(process.cwd());
const distDir = process.env.NEXT_DIST_DIR || '.next';
if (demo && command === 'next' && args[0] === 'build' && distDir === (demo.distDir ?? '.next')) {
  console.error(
    `\`npm run demo\` (pid ${demo.pid}) is serving this folder's ${distDir}; building into it now would break the running app.\n` +
      'Stop the demo first (Ctrl-C in its terminal), or build elsewhere: NEXT_DIST_DIR=.next-other npm run build',
  );
  process.exit(1);
}

const shutdown = new Shutdown();
shutdown.onSignals();

const env: NodeJS.ProcessEnv = { ...process.env, ...appSecrets(), DATABASE_URL: await localDatabase(shutdown) };

if (!shutdown.started) {
  const serving = command === 'next' && args[0] === 'start';
  const child = shutdown.add(command, spawnTied(command, command, args, { env: serving ? withServerHeapBound(env) : env }));
  await shutdown.exit(await child.exited);
}
