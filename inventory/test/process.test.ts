// The real entry points as separate processes: `inventory/server.ts` (crash with SIGKILL, graceful SIGTERM,
// refusing a bad configuration) and `inventory/cli.ts`.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, downReceiverUrl, inventory, onCleanup, receiver, SECRET, tempDir, until } from './helpers.js';

afterEach(cleanup);

const root = fileURLToPath(new URL('../..', import.meta.url));

/** `node --import tsx <script>`: one process, so a signal reaches the service itself and not a wrapper. */
function run(script: string, args: string[], env: Record<string, string>) {
  // Only this test's INVENTORY_* settings, whatever the surrounding shell has.
  const inherited = { ...process.env };
  for (const name of Object.keys(inherited)) if (name.startsWith('INVENTORY_')) delete inherited[name];
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: { ...inherited, ...env } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  onCleanup(() => (child.exitCode === null && child.signalCode === null ? child.kill('SIGKILL') : undefined));
  return { child, exited, output: () => output };
}

async function startService(env: Record<string, string>) {
  const service = run('inventory/server.ts', [], { INVENTORY_PORT: '0', ...env });
  await until(() => /listening on http/.test(service.output()), 10_000);
  const url = /listening on (http:\/\/\S+)/.exec(service.output())![1];
  return { ...service, url };
}

function cli(args: string[], env: Record<string, string>) {
  const { exited, output } = run('inventory/cli.ts', args, env);
  return exited.then((code) => ({ code, output: output() }));
}

const stop = (child: ChildProcess, exited: Promise<number | string>, signal: NodeJS.Signals) => {
  child.kill(signal);
  return exited;
};

describe('inventory processes', () => {
  it('loses nothing when killed right after a change, and shuts down cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const down = await downReceiverUrl();
    const env = { INVENTORY_DATA_DIR: dataDir, INVENTORY_WEBHOOK_URL: down.url, INVENTORY_WEBHOOK_SECRET: SECRET };
    const first = await startService(env);
    const patched = await fetch(`${first.url}/products/MUG-001`, { method: 'PATCH', body: JSON.stringify({ stock: 5, mode: 'expire' }) });
    expect(patched.status).toBe(200);
    expect(await stop(first.child, first.exited, 'SIGKILL')).toBe('SIGKILL'); // a crash: no shutdown code runs

    const app = await receiver([], down.port);
    const second = await startService(env);
    expect((await (await fetch(`${second.url}/products/MUG-001`)).json()).stock).toBe(5);
    await until(() => app.received.length === 1, 5000); // the first retry is due ≈1 s after the failed attempt
    const delivered = app.received[0];
    expect(new Webhook(SECRET).verify(delivered.body, delivered.headers)).toEqual({ tags: ['product:MUG-001', 'inventory'], mode: 'expire' });

    expect(await stop(second.child, second.exited, 'SIGTERM')).toBe(0);
    expect(second.output()).toMatch(/SIGTERM: shutting down/);
    expect(first.output() + second.output()).not.toContain(SECRET);
  });

  it('refuses to start with a webhook URL but no secret', async () => {
    const service = run('inventory/server.ts', [], { INVENTORY_PORT: '0', INVENTORY_DATA_DIR: tempDir(), INVENTORY_WEBHOOK_URL: 'http://127.0.0.1:1/x', INVENTORY_WEBHOOK_SECRET: '' });
    expect(await service.exited).toBe(1);
    expect(service.output()).toMatch(/INVENTORY_WEBHOOK_SECRET is required/);
  });

  it('has a CLI that prints the response, takes negative deltas, and fails on errors', async () => {
    const service = await inventory({ adminToken: 'admin-token' });
    const env = { INVENTORY_URL: service.url, INVENTORY_ADMIN_TOKEN: 'admin-token' };
    const adjusted = await cli(['adjust', 'MUG-001', '-2', '--mode', 'expire'], env);
    expect(adjusted.code).toBe(0);
    expect(JSON.parse(adjusted.output)).toMatchObject({ sku: 'MUG-001', stock: 40 });

    const refused = await cli(['set', 'MUG-001', '--stock', '1'], { INVENTORY_URL: service.url, INVENTORY_ADMIN_TOKEN: '' });
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/401.*admin token/);
    expect((await cli(['--help'], env)).output).toMatch(/usage:/);
  });
});
