// Runs a command with DATABASE_URL set. If it is already set, that server is used as is; otherwise the
// embedded PostgreSQL in .data/postgres is started for the command and stopped when it exits (Ctrl-C too).
// REVALIDATE_SECRET and BETTER_AUTH_SECRET, when unset, get the local demo secrets from .data/.
//   tsx scripts/with-db.ts <command> [args…]
import { spawn } from 'node:child_process';
import { EmbeddedDatabaseBusyError, startEmbeddedDatabase } from '@/db/embedded';
import { appSecrets } from './local-secret';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: tsx scripts/with-db.ts <command> [args…]');
  process.exit(2);
}

let stopDatabase = async () => {};
const env: NodeJS.ProcessEnv = { ...process.env, ...appSecrets() };
if (!env.DATABASE_URL) {
  try {
    const embedded = await startEmbeddedDatabase();
    env.DATABASE_URL = embedded.url;
    stopDatabase = embedded.stop;
    console.log(`Embedded PostgreSQL started (${new URL(embedded.url).host}, data in .data/postgres).`);
  } catch (error) {
    console.error(error instanceof EmbeddedDatabaseBusyError ? error.message : `Could not start the embedded database: ${error}`);
    process.exit(1);
  }
}

const child = spawn(command, args, { stdio: 'inherit', env });
// Ctrl-C reaches the whole process group; we only wait for the child, then stop the database.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', async (code, signal) => {
  await stopDatabase();
  process.exit(code ?? (signal ? 1 : 0));
});
