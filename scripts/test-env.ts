// Test environments: a fresh database on the embedded PostgreSQL or on a real server, and a production
// server (`next build && next start`) on it. Used by scripts/test.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { freePort, startEmbeddedDatabase } from '@/db/embedded';

export { freePort };

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** `settings`: extra PostgreSQL settings, `name=value`. */
export async function embeddedTestDatabase(settings: string[] = []): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ntc-embedded-'));
  chmodSync(dir, 0o755);
  const db = await startEmbeddedDatabase(dir, { settings });
  return {
    name: 'embedded PostgreSQL',
    url: db.url,
    drop: async () => {
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a uniquely named database on the server at `adminUrl`; `drop` removes only that database. */
export async function serverTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  const name = `ntc_test_${process.pid}_${Date.now().toString(36)}`;
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name: `PostgreSQL server (${url.host}, database ${name})`,
    url: url.toString(),
    drop: async () => {
      const again = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

export async function canConnect(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export interface Server {
  url: string;
  stop(): Promise<void>;
}

/** Starts a long-running process and waits until `readyUrl` answers. */
export async function startServer(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  readyUrl: string,
  label: string,
): Promise<Server & { child: ChildProcess }> {
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${label} exited with code ${child.exitCode} before it was ready`);
    try {
      await fetch(readyUrl);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  if (Date.now() >= deadline) {
    child.kill('SIGKILL');
    throw new Error(`${label} did not answer at ${readyUrl} within 60 s`);
  }
  return {
    child,
    url: new URL(readyUrl).origin,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
