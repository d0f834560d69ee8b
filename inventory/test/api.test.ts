// The HTTP API: reads, changes, refusals, admin token, latency.
import { afterEach, describe, expect, it } from 'vitest';
import { initialProducts } from '../products.js';
import { configFromEnv, startInventoryServer } from '../server.js';
import { cleanup, inventory, outbox, SECRET, send, tempDir } from './helpers.js';

afterEach(cleanup);

describe('inventory API', () => {
  it('serves the seeded products, sorted by sku', async () => {
    const service = await inventory();
    expect(await (await fetch(`${service.url}/health`)).json()).toEqual({ ok: true });
    const { products } = await (await fetch(`${service.url}/products`)).json();
    expect(products.map((p: { sku: string }) => p.sku)).toEqual(initialProducts.map((p) => p.sku).sort());
    expect(products).toHaveLength(8);
    const mug = await (await fetch(`${service.url}/products/MUG-001`)).json();
    expect(mug).toEqual({ sku: 'MUG-001', priceCents: 1800, currency: 'USD', stock: 42, updatedAt: expect.any(String) });
    expect(products.find((p: { sku: string }) => p.sku === 'CAP-004')).toMatchObject({ priceCents: 2200, stock: 0 });
  });

  it('changes price and stock, and adjusts stock', async () => {
    const service = await inventory();
    const before = await (await fetch(`${service.url}/products/TEE-002`)).json();
    const patched = await send(`${service.url}/products/TEE-002`, 'PATCH', { priceCents: 2900, stock: 5 });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ sku: 'TEE-002', priceCents: 2900, stock: 5 });
    const adjusted = await send(`${service.url}/products/TEE-002/adjust`, 'POST', { delta: -2 });
    expect(await adjusted.json()).toMatchObject({ priceCents: 2900, stock: 3 });
    const after = await (await fetch(`${service.url}/products/TEE-002`)).json();
    expect(after).toMatchObject({ priceCents: 2900, stock: 3 });
    expect(after.updatedAt > before.updatedAt).toBe(true); // ISO timestamps sort as strings
  });

  it('applies concurrent adjustments one after another, none lost', async () => {
    const service = await inventory();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => send(`${service.url}/products/MUG-001/adjust`, 'POST', { delta: -1 })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect((await (await fetch(`${service.url}/products/MUG-001`)).json()).stock).toBe(22);
  });

  it('refuses bad input with the right status and a JSON error, and changes nothing', async () => {
    const service = await inventory({ adminToken: 'admin-token' });
    const auth = { authorization: 'Bearer admin-token' };
    const mug = `${service.url}/products/MUG-001`;
    const expectError = async (response: Promise<Response>, status: number, message?: RegExp) => {
      const r = await response;
      expect(r.status).toBe(status);
      const { error } = await r.json();
      expect(error).toEqual(expect.any(String));
      if (message) expect(error).toMatch(message);
      return r;
    };
    await expectError(send(mug, 'PATCH', '{not json', auth), 400, /JSON/);
    await expectError(send(mug, 'PATCH', '[1]', auth), 400, /object/);
    await expectError(send(mug, 'PATCH', { stock: -1 }, auth), 400, /stock/);
    await expectError(send(mug, 'PATCH', { priceCents: 1.5 }, auth), 400, /priceCents/);
    await expectError(send(mug, 'PATCH', { stock: '3' }, auth), 400, /stock/);
    await expectError(send(mug, 'PATCH', { stock: 1, mode: 'soon' }, auth), 400, /mode/);
    await expectError(send(mug, 'PATCH', { price: 100 }, auth), 400, /unknown field "price"/);
    await expectError(send(mug, 'PATCH', {}, auth), 400);
    await expectError(send(`${service.url}/products/NOPE`, 'PATCH', { stock: 1 }, auth), 404);
    await expectError(send(`${service.url}/products/%E0%A4%A`, 'GET'), 400);
    await expectError(send(`${service.url}/nowhere`, 'GET'), 404);
    await expectError(send(mug, 'PATCH', { stock: 1 }, { authorization: 'Bearer wrong' }), 401);
    await expectError(send(mug, 'PATCH', { stock: 1 }, { authorization: 'admin-token' }), 401); // no Bearer scheme
    await expectError(send(mug, 'PATCH', { stock: 1 }), 401);
    const deleted = await expectError(send(mug, 'DELETE'), 405);
    expect(deleted.headers.get('allow')).toBe('GET, PATCH');
    expect((await expectError(send(`${service.url}/products`, 'POST', {}), 405)).headers.get('allow')).toBe('GET');
    await expectError(send(mug, 'PATCH', { stock: 1, pad: 'x'.repeat(20_000) }, auth), 413);
    await expectError(send(`${mug}/adjust`, 'POST', { delta: -43 }, auth), 409, /42/);
    await expectError(send(`${mug}/adjust`, 'POST', { delta: 'lots' }, auth), 400, /delta/);

    expect((await (await fetch(mug)).json()).stock).toBe(42);
    const ok = await send(`${mug}/adjust`, 'POST', { delta: -42 }, auth);
    expect(ok.status).toBe(200);
    expect((await ok.json()).stock).toBe(0);
  });

  it('stores changes but queues no deliveries when no webhook URL is configured', async () => {
    const lines: string[] = [];
    const service = await inventory({ log: (line) => lines.push(line) });
    expect((await send(`${service.url}/products/CAP-004`, 'PATCH', { stock: 10 })).status).toBe(200);
    expect(await outbox(service.url)).toEqual({ pending: [], dead: [] });
    expect(lines.some((l) => l.includes('INVENTORY_WEBHOOK_URL is not set'))).toBe(true);
  });

  it('delays reads by the configured latency, changeable at runtime behind the admin token', async () => {
    const service = await inventory({ latencyMs: 250, adminToken: 'admin-token' });
    const timed = async (path: string) => {
      const started = performance.now();
      expect((await fetch(`${service.url}${path}`)).status).toBe(200);
      return performance.now() - started;
    };
    expect(await timed('/products/MUG-001')).toBeGreaterThanOrEqual(240);
    expect(await timed('/health')).toBeLessThan(200); // readiness checks are never slowed down

    const setLatency = (ms: unknown, headers = {}) => send(`${service.url}/admin/latency`, 'POST', { ms }, headers);
    expect((await setLatency(0)).status).toBe(401);
    expect((await setLatency(-5, { authorization: 'Bearer admin-token' })).status).toBe(400);
    const off = await setLatency(0, { authorization: 'Bearer admin-token' });
    expect(await off.json()).toEqual({ latencyMs: 0 });
    expect(await timed('/products')).toBeLessThan(200);
    await setLatency(400, { authorization: 'Bearer admin-token' });
    expect(await timed('/products')).toBeGreaterThanOrEqual(390);
  });

  it('checks its configuration before starting', async () => {
    const dataDir = tempDir();
    await expect(startInventoryServer({ port: 0, dataDir, webhookUrl: 'http://127.0.0.1:1/x' })).rejects.toThrow(/INVENTORY_WEBHOOK_SECRET is required/);
    const weak = 'whsec_c2hvcnQ=';
    const refused = startInventoryServer({ port: 0, dataDir, webhookUrl: 'http://127.0.0.1:1/x', webhookSecret: weak });
    await expect(refused).rejects.toThrow(/whsec_<base64/);
    await expect(refused).rejects.not.toThrow(weak); // a secret never ends up in a message
    await expect(startInventoryServer({ port: 0, dataDir, webhookUrl: 'ftp://x', webhookSecret: SECRET })).rejects.toThrow(/http/);

    expect(configFromEnv({})).toMatchObject({ port: 4100, host: '127.0.0.1', latencyMs: 0, webhookUrl: undefined });
    expect(configFromEnv({ INVENTORY_PORT: '0', INVENTORY_LATENCY_MS: '300' })).toMatchObject({ port: 0, latencyMs: 300 });
    expect(() => configFromEnv({ INVENTORY_PORT: 'eighty' })).toThrow(/INVENTORY_PORT/);
    expect(() => configFromEnv({ INVENTORY_LATENCY_MS: '-1' })).toThrow(/INVENTORY_LATENCY_MS/);
  });
});
