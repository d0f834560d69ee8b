// Webhook deliveries: signed, retried with the same id, refused for good on a 4xx, in order, durable.
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { startInventoryServer } from '../server.js';
import { cleanup, downReceiverUrl, inventory, outbox, receiver, SECRET, send, sleep, tempDir, until, type Received } from './helpers.js';

afterEach(cleanup);

const verified = (delivery: Received) => new Webhook(SECRET).verify(delivery.body, delivery.headers);

describe('inventory deliveries', () => {
  it('announces a change with a signed delivery carrying the product tags and mode', async () => {
    const app = await receiver();
    const service = await inventory({ webhookUrl: app.url, webhookSecret: SECRET });
    const response = await send(`${service.url}/products/MUG-001`, 'PATCH', { stock: 7, mode: 'expire' });
    expect(await response.json()).toMatchObject({ sku: 'MUG-001', stock: 7 });
    expect((await (await fetch(`${service.url}/products/MUG-001`)).json()).stock).toBe(7);

    await until(() => app.received.length === 1);
    const [delivery] = app.received;
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers['webhook-id']).toMatch(/^msg_[0-9a-f-]{36}$/);
    expect(Number(delivery.headers['webhook-timestamp'])).toBeCloseTo(Date.now() / 1000, -1);
    expect(verified(delivery)).toEqual({ tags: ['product:MUG-001', 'inventory'], mode: 'expire' });
    // The signature covers the exact bytes: any change to the body must fail verification.
    expect(() => new Webhook(SECRET).verify(delivery.body.replace('expire', 'max'), delivery.headers)).toThrow();

    await send(`${service.url}/products/STK-005/adjust`, 'POST', { delta: 5 });
    await until(() => app.received.length === 2);
    expect(verified(app.received[1])).toEqual({ tags: ['product:STK-005', 'inventory'], mode: 'max' }); // default mode
    expect(app.received[1].headers['webhook-id']).not.toBe(delivery.headers['webhook-id']);
    await until(async () => (await outbox(service.url)).pending.length === 0);
  });

  it('retries a failing receiver with the same webhook-id until it accepts', async () => {
    const app = await receiver([503, 503]);
    const service = await inventory({ webhookUrl: app.url, webhookSecret: SECRET });
    await send(`${service.url}/products/TEE-002`, 'PATCH', { priceCents: 2700 });
    await until(() => app.received.length === 3);
    expect(new Set(app.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    for (const attempt of app.received) expect(verified(attempt)).toEqual({ tags: ['product:TEE-002', 'inventory'], mode: 'max' });
    await until(async () => (await outbox(service.url)).pending.length === 0);
    await sleep(150);
    expect(app.received).toHaveLength(3); // delivered once accepted, then never again
    expect((await outbox(service.url)).dead).toEqual([]);
  });

  it('moves a delivery the receiver refuses (4xx) to dead, without retrying it', async () => {
    const lines: string[] = [];
    const app = await receiver([{ status: 400, body: '{"error":"unknown tag"}' }]);
    const service = await inventory({ webhookUrl: app.url, webhookSecret: SECRET, log: (line) => lines.push(line) });
    await send(`${service.url}/products/CAP-004`, 'PATCH', { stock: 3 });
    await until(async () => (await outbox(service.url)).dead.length === 1);
    await sleep(200); // many retry periods (retryBaseMs is 20)
    expect(app.received).toHaveLength(1);
    const { pending, dead } = await outbox(service.url);
    expect(pending).toEqual([]);
    expect(dead[0]).toMatchObject({ id: app.received[0].headers['webhook-id'], attempts: 1, lastStatus: 400, payload: { tags: ['product:CAP-004', 'inventory'] } });
    expect(dead[0].lastError).toContain('unknown tag');
    expect(lines.some((l) => l.includes('refused') && l.includes('HTTP 400'))).toBe(true);
    expect(lines.join('\n')).not.toContain(SECRET);
  });

  it('delivers in order: a failing delivery holds back the ones queued after it', async () => {
    const app = await receiver([500]);
    const service = await inventory({ webhookUrl: app.url, webhookSecret: SECRET });
    await send(`${service.url}/products/HOOD-003`, 'PATCH', { stock: 7 });
    await send(`${service.url}/products/HOOD-003`, 'PATCH', { stock: 6, mode: 'expire' });
    await until(() => app.received.length === 3);
    const [first, retry, second] = app.received;
    expect(retry.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.headers['webhook-id']).not.toBe(first.headers['webhook-id']);
    expect(verified(second)).toEqual({ tags: ['product:HOOD-003', 'inventory'], mode: 'expire' });
  });

  it('waits as long as Retry-After asks', async () => {
    const app = await receiver([{ status: 429, headers: { 'retry-after': '1' } }]);
    const service = await inventory({ webhookUrl: app.url, webhookSecret: SECRET });
    await send(`${service.url}/products/BOTTLE-008`, 'PATCH', { stock: 4 });
    await until(() => app.received.length === 2, 3000);
    expect(app.received[1].at - app.received[0].at).toBeGreaterThanOrEqual(950); // not the 20 ms backoff
  });

  it('gives up on an attempt that gets no answer in time, and retries it', async () => {
    const lines: string[] = [];
    const app = await receiver(['hang']);
    const service = await inventory({ webhookUrl: app.url, webhookSecret: SECRET, timeoutMs: 200, log: (line) => lines.push(line) });
    await send(`${service.url}/products/POSTER-007`, 'PATCH', { priceCents: 1000 });
    await until(() => app.received.length === 2);
    expect(app.received[1].headers['webhook-id']).toBe(app.received[0].headers['webhook-id']);
    expect(app.received[1].at - app.received[0].at).toBeGreaterThanOrEqual(190);
    expect(lines.some((l) => l.includes('no answer within 200 ms'))).toBe(true);
    await until(async () => (await outbox(service.url)).pending.length === 0);
  });

  it('keeps an undelivered change across a restart and delivers it once the receiver is up', async () => {
    const dataDir = tempDir();
    const down = await downReceiverUrl();
    const first = await startInventoryServer({ port: 0, dataDir, webhookUrl: down.url, webhookSecret: SECRET, retryBaseMs: 20, log: () => {} });
    try {
      expect((await send(`${first.url}/products/BOOK-006`, 'PATCH', { stock: 1 })).status).toBe(200);
      await until(async () => ((await outbox(first.url)).pending[0]?.attempts ?? 0) > 0);
      const [pending] = (await outbox(first.url)).pending;
      expect(pending.lastError).toMatch(/ECONNREFUSED/);
    } finally {
      await first.close();
    }

    const app = await receiver([], down.port); // the receiver comes back at the address the service knows
    const second = await inventory({ dataDir, webhookUrl: app.url, webhookSecret: SECRET });
    expect((await (await fetch(`${second.url}/products/BOOK-006`)).json()).stock).toBe(1);
    await until(() => app.received.length === 1);
    expect(verified(app.received[0])).toEqual({ tags: ['product:BOOK-006', 'inventory'], mode: 'max' });
    await until(async () => (await outbox(second.url)).pending.length === 0);
  });
});
