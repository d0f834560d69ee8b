// scripts/with-db.ts around a small server that drains like `next start` (tests/process/fixtures/slow-server.mjs):
// SIGTERM mid-request lets the request finish, with the database still up, and leaves no process behind;
// and when the orchestrator itself is SIGKILLed, its children (the server, PostgreSQL) stop too.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '@/db/embedded';
import { alive, processTree, root, runScript, until } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function startWithDb() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ntc-shutdown-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as `postgres` when we are root
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_PG_DIR: dir, PORT: String(port), SLOW_MS: '1500' };
  delete env.DATABASE_URL; // the embedded database, started and stopped by with-db
  const run = runScript('scripts/with-db.ts', [process.execPath, path.join(root, 'tests/process/fixtures/slow-server.mjs')], env);
  cleanups.push(() => {
    for (const pid of processTree(run.child.pid!)) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  await until(() => /listening on/.test(run.output()) || run.child.exitCode !== null, 30_000, 'the server to listen');
  expect(run.output()).toMatch(/listening on/);
  const tree = processTree(run.child.pid!);
  // with-db, the server's tether and the server, PostgreSQL's tether and its server processes
  expect(tree.length).toBeGreaterThanOrEqual(5);
  return { ...run, url: `http://127.0.0.1:${port}`, tree };
}

describe('with-db shutdown', () => {
  it('on SIGTERM finishes the request in flight (database still up), then stops everything', async () => {
    const app = await startWithDb();
    const response = fetch(`${app.url}/slow`);
    await until(() => app.output().includes('slow request received'), 10_000, 'the request to arrive');
    app.child.kill('SIGTERM');
    const answer = await response;
    expect(await answer.text()).toBe('answered after 1500 ms');
    expect(answer.status).toBe(200);
    expect(await app.exited).toBe(0);
    expect(app.tree.filter(alive)).toEqual([]);
  });

  it('when SIGKILLed, its children do not outlive it', async () => {
    const app = await startWithDb();
    app.child.kill('SIGKILL');
    await app.exited;
    await until(() => app.tree.filter(alive).length === 0, 15_000, `${app.tree.filter(alive).join(', ')} to exit`);
  });
});
