import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { startInventoryServer } from '../server.ts';

const SECRET = `whsec_${Buffer.from('inventory-test-secret-32-bytes!!').toString('base64')}`;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'inventory-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A stand-in for the app's /api/revalidate that answers with the given statuses in turn (then 200). */
async function receiver(statuses: number[] = []) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(statuses.shift() ?? 200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/revalidate`, received, server };
}

async function inventory(options: Partial<Parameters<typeof startInventoryServer>[0]> = {}) {
  const service = await startInventoryServer({ port: 0, dataDir: tempDir(), retryBaseMs: 50, log: () => {}, ...options });
  cleanups.push(() => service.close());
  return service;
}

const until = async (check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const patch = (url: string, sku: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/products/${sku}`, { method: 'PATCH', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('inventory service', () => {
  it('serves the seeded products', async () => {
    const service = await inventory();
    const list = await (await fetch(`${service.url}/products`)).json();
    expect(list.products).toHaveLength(8);
    expect(await (await fetch(`${service.url}/products/MUG-001`)).json()).toMatchObject({ sku: 'MUG-001', priceCents: 1800, stock: 42 });
    expect((await fetch(`${service.url}/products/NOPE`)).status).toBe(404);
  });

  it('announces a change with a signed delivery carrying the product tags and mode', async () => {
    const app = await receiver();
    const service = await inventory({ webhookUrl: app.url, webhookSecret: SECRET });
    const response = await patch(service.url, 'MUG-001', { stock: 7, mode: 'expire' });
    expect(await response.json()).toMatchObject({ sku: 'MUG-001', stock: 7 });
    await until(() => app.received.length === 1);
    const [delivery] = app.received;
    expect(() => new Webhook(SECRET).verify(delivery.body, delivery.headers as Record<string, string>)).not.toThrow();
    expect(JSON.parse(delivery.body)).toEqual({ tags: ['product:MUG-001', 'inventory'], mode: 'expire' });
    expect(delivery.headers['webhook-id']).toMatch(/^msg_/);
  });

  it('retries a failing receiver with the same delivery id until it accepts', async () => {
    const app = await receiver([503, 503]);
    const service = await inventory({ webhookUrl: app.url, webhookSecret: SECRET });
    await patch(service.url, 'TEE-002', { priceCents: 2700 });
    await until(() => app.received.length === 3);
    expect(new Set(app.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    await until(() => service.store.outbox().length === 0);
  });

  it('does not retry a permanent refusal', async () => {
    const app = await receiver([400]);
    const service = await inventory({ webhookUrl: app.url, webhookSecret: SECRET });
    await patch(service.url, 'CAP-004', { stock: 3 });
    await until(() => service.store.dead().length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(app.received).toHaveLength(1);
    expect(service.store.dead()[0].lastError).toContain('HTTP 400');
  });

  it('keeps an undelivered change across its own restart and delivers it when the app is back', async () => {
    const dataDir = tempDir();
    const down = 'http://127.0.0.1:9/api/revalidate'; // nothing listens on port 9
    const first = await startInventoryServer({ port: 0, dataDir, webhookUrl: down, webhookSecret: SECRET, retryBaseMs: 50, log: () => {} });
    await patch(first.url, 'BOOK-006', { stock: 1 });
    await until(() => first.store.outbox()[0]?.attempts > 0);
    await first.close();

    const app = await receiver();
    const second = await inventory({ dataDir, webhookUrl: app.url, webhookSecret: SECRET });
    expect(second.store.product('BOOK-006')?.stock).toBe(1);
    await until(() => app.received.length === 1);
    expect(JSON.parse(app.received[0].body).tags).toEqual(['product:BOOK-006', 'inventory']);
    await until(() => second.store.outbox().length === 0);
  });

  it('refuses bad input with the right status and changes nothing', async () => {
    const service = await inventory({ adminToken: 'admin-token' });
    const auth = { authorization: 'Bearer admin-token' };
    const bad = async (response: Promise<Response>, status: number) => {
      const r = await response;
      expect(r.status).toBe(status);
      expect((await r.json()).error).toBeTruthy();
    };
    await bad(fetch(`${service.url}/products/MUG-001`, { method: 'PATCH', headers: auth, body: '{not json' }), 400);
    await bad(patch(service.url, 'MUG-001', { stock: -1 }, auth), 400);
    await bad(patch(service.url, 'MUG-001', { stock: 1, mode: 'soon' }, auth), 400);
    await bad(patch(service.url, 'NOPE', { stock: 1 }, auth), 404);
    await bad(patch(service.url, 'MUG-001', { stock: 1 }, { authorization: 'Bearer wrong' }), 401);
    await bad(patch(service.url, 'MUG-001', { stock: 1 }), 401);
    await bad(fetch(`${service.url}/products/MUG-001`, { method: 'DELETE' }), 405);
    await bad(fetch(`${service.url}/products/MUG-001`, { method: 'PATCH', headers: auth, body: JSON.stringify({ stock: 1, pad: 'x'.repeat(20_000) }) }), 413);
    await bad(fetch(`${service.url}/products/MUG-001/adjust`, { method: 'POST', headers: auth, body: JSON.stringify({ delta: -100 }) }), 409);
    expect(service.store.product('MUG-001')?.stock).toBe(42);
    const ok = await fetch(`${service.url}/products/MUG-001/adjust`, { method: 'POST', headers: auth, body: JSON.stringify({ delta: -2 }) });
    expect((await ok.json()).stock).toBe(40);
  });

  it('can be made slow, to exercise the app’s timeout', async () => {
    const service = await inventory();
    await fetch(`${service.url}/admin/latency`, { method: 'POST', body: JSON.stringify({ ms: 300 }) });
    const started = Date.now();
    await fetch(`${service.url}/products/MUG-001`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });
});
