// `npm run demo` stopped and started again with nothing changed: no rebuild (the same build serves, so the Server
// Action ids an open editor holds stay valid), and once up it says where to sign in with which accounts.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/db/embedded';
import { alive, processTree, root, runScript, until } from './helpers';

const SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `ntc_demo_restart_${randomBytes(4).toString('hex')}`;
const distDir = `.next-demo-restart-${name.slice(-8)}`;
const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
const databaseUrl = Object.assign(new URL(SERVER_URL), { pathname: `/${name}` }).href;
const running: ReturnType<typeof runScript>[] = [];

beforeAll(async () => {
  await admin.unsafe(`create database ${name}`);
});
afterAll(async () => {
  for (const demo of running) for (const pid of processTree(demo.child.pid!)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(path.join(root, distDir), { recursive: true, force: true });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

async function startDemo(port: number, inventoryPort: number) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, NEXT_DIST_DIR: distDir, PORT: String(port), INVENTORY_PORT: String(inventoryPort) };
  delete env.INVENTORY_API_URL;
  delete env.SITE_URL;
  const demo = runScript(path.join(root, 'scripts/demo.ts'), [], env);
  running.push(demo);
  await until(() => demo.output().includes('▸ Up in') || demo.child.exitCode !== null, 240_000, 'the demo to be up');
  expect(demo.child.exitCode, demo.output()).toBeNull();
  return demo;
}
async function stop(demo: ReturnType<typeof runScript>) {
  demo.child.kill('SIGINT');
  expect(await demo.exited).toBe(0);
}

describe('npm run demo, restarted', { timeout: 360_000 }, () => {
  it('builds once, then starts again without a rebuild, and says how to sign in', async () => {
    const [port, inventoryPort] = [await freePort(), await freePort()];
    const first = await startDemo(port, inventoryPort);
    expect(first.output()).toContain('▸ Building (next build)');
    expect(first.output()).toContain(`Sign in at http://localhost:${port}/sign-in with a demo account, password \`tagged-cache-demo\``);
    // The sign-in page lists the same accounts (the demo turns this on; a deployment does not).
    const signIn = await (await fetch(`http://127.0.0.1:${port}/sign-in`)).text();
    const email = first.output().match(/^\s+(\S+@\S+?),? /m)?.[1];
    expect(email, 'the output lists an account').toBeTruthy();
    expect(signIn).toContain('Local demo: sign in with a demo account');
    expect(signIn).toContain(email);
    const buildId = readFileSync(path.join(root, distDir, 'BUILD_ID'), 'utf8');
    await stop(first);

    const second = await startDemo(port, inventoryPort);
    expect(second.output()).toMatch(/▸ Build is up to date \(build \S+ in .*: sources, settings and database unchanged\); starting without a rebuild/);
    expect(second.output()).not.toContain('next build');
    expect(readFileSync(path.join(root, distDir, 'BUILD_ID'), 'utf8')).toBe(buildId);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    await stop(second);
  });
});
