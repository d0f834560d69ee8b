// `npm run demo` refuses at once when a port it needs is taken (the check `npm run cluster` makes), naming the port
// and how to pick another: otherwise it would serve prices read from whatever listens on INVENTORY_PORT.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { root, runScript } from './helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Something else listening on 127.0.0.1, on a port the system picks. */
async function occupied(): Promise<number> {
  const server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function demo(env: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ntc-demo-ports-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const full: NodeJS.ProcessEnv = {
    ...process.env,
    TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json'),
    // Never reached when the check works; were it reached, the run would fail here rather than build anything.
    DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
    ...env,
  };
  delete full.INVENTORY_API_URL;
  const run = runScript(path.join(root, 'scripts/demo.ts'), [], full, dir);
  cleanups.push(() => void run.child.kill('SIGKILL'));
  const code = await run.exited;
  return { code, output: run.output(), dir };
}

describe('npm run demo with a port taken', () => {
  it('refuses before anything starts when INVENTORY_PORT is in use, and says how to pick another', async () => {
    const inventoryPort = await occupied();
    const { code, output, dir } = await demo({ PORT: String(await freePort()), INVENTORY_PORT: String(inventoryPort) });
    expect(code).toBe(1);
    expect(output).toContain(`Port ${inventoryPort} is in use (needed for the inventory service, INVENTORY_PORT)`);
    expect(output).toMatch(/INVENTORY_PORT=\d+ npm run demo/);
    // It stopped before the database (no migration was tried) and left nothing but its released claim.
    expect(output).not.toMatch(/Applying migrations|ECONNREFUSED|Building/);
    expect(readdirSync(dir)).toEqual(['.data']);
    expect(readdirSync(path.join(dir, '.data'))).toEqual([]);
  });

  it('refuses when PORT is in use too', async () => {
    const port = await occupied();
    const { code, output } = await demo({ PORT: String(port), INVENTORY_PORT: String(await freePort()) });
    expect(code).toBe(1);
    expect(output).toContain(`Port ${port} is in use (needed for the app, PORT)`);
    expect(output).toMatch(/PORT=\d+ npm run demo/);
    expect(output).not.toMatch(/Applying migrations|ECONNREFUSED/);
  });
});
