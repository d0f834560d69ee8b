// The edge purger (edge.mjs) with the tag store: each invalidation is sent to the edge as a purge of the
// right kind before update() returns; a purge the edge refuses is retried until it lands, reported queued meanwhile,
// and announced to onLanded listeners (which mark the revalidation log applied) when it does. An edge that is away or
// slow: edge-away.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { edgeConfig, edgePurger, purgeKind } from '../edge.mjs';
import { TagStore } from '../tag-store.mjs';
import { onCacheEvent, type CacheEvent } from '../index.mjs';

interface Received {
  method: string;
  secret: string | undefined;
  kind: string | undefined;
  tags: string | undefined;
}

const SECRET = 'a-purge-secret-for-tests';
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An HTTP endpoint standing where the edge listens: records every request, and answers 503 while `failing`. */
async function edgeEndpoint() {
  const received: Received[] = [];
  const state = { failing: false };
  const server = http.createServer((req, res) => {
    received.push({
      method: req.method ?? '',
      secret: req.headers['x-edge-purge-secret'] as string | undefined,
      kind: req.headers['x-edge-purge'] as string | undefined,
      tags: req.headers['x-edge-tags'] as string | undefined,
    });
    res.statusCode = state.failing ? 503 : 200;
    res.end(state.failing ? 'backend fetch failed' : 'Purged 1');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => (server.listening ? close() : undefined));
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { url: `http://127.0.0.1:${port}/`, received, state, close };
}

function store(url: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ntc-edge-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const tagStore = new TagStore({ redis: null, dir, prefix: 'edge' });
  tagStore.onInvalidation(edgePurger({ url, secret: SECRET }));
  return tagStore;
}

describe('edge purges', () => {
  it('sends updateTag and expire: 0 as hard purges, max as soft, with the secret, before update() returns', async () => {
    const edge = await edgeEndpoint();
    const tags = store(edge.url);
    expect(await tags.update(['post:1', 'posts'], undefined)).toMatchObject({ status: 'applied' });
    expect(edge.received).toEqual([{ method: 'PURGE', secret: SECRET, kind: 'hard', tags: 'post:1 posts' }]);
    expect(await tags.update(['post:2'], { expire: 0 })).toMatchObject({ status: 'applied' });
    expect(edge.received[1]).toMatchObject({ kind: 'hard', tags: 'post:2' });
    expect(await tags.update(['post:3'], { expire: 31_536_000 })).toMatchObject({ status: 'applied' });
    expect(edge.received[2]).toMatchObject({ kind: 'soft', tags: 'post:3' });
  });

  it('retries a refused purge until it lands, reported queued meanwhile; its events count both', async () => {
    const edge = await edgeEndpoint();
    const tags = store(edge.url);
    const landed: string[] = [];
    tags.onLanded((ids) => landed.push(...ids));
    const events: CacheEvent[] = [];
    const stop = onCacheEvent((event) => events.push(event));
    const count = (type: CacheEvent['type']) => events.filter((event) => event.type === type && 'kind' in event && event.kind === 'hard').length;
    edge.state.failing = true;
    setTimeout(() => (edge.state.failing = false), 600);
    const { id, status } = await tags.update(['post:4'], { expire: 0 });
    expect(status).toBe('queued');
    await expect.poll(() => landed, { timeout: 10_000 }).toContain(id);
    expect(edge.received.length).toBeGreaterThan(1);
    expect(edge.received.at(-1)).toMatchObject({ kind: 'hard', tags: 'post:4' });
    expect(count('edge-purge')).toBe(1);
    expect(count('edge-purge-failure')).toBe(edge.received.length - 1);
    stop();
  });

  it('reports an invalidation the edge has not taken as queued, keeps retrying, and announces it once it lands', async () => {
    const edge = await edgeEndpoint();
    const tags = store(edge.url);
    edge.state.failing = true;
    const { id, status } = await tags.update(['post:5'], { expire: 0 });
    expect(status).toBe('queued');
    const landed: string[] = [];
    tags.onLanded((ids) => landed.push(...ids));
    expect(landed).not.toContain(id);
    const attempts = edge.received.length;
    edge.state.failing = false;
    await expect.poll(() => landed, { timeout: 10_000 }).toContain(id);
    expect(edge.received.length).toBeGreaterThan(attempts);
    expect(edge.received.at(-1)).toMatchObject({ kind: 'hard', tags: 'post:5' });
  });

  it('sends a purge still pending when its instance stopped once the instance is back, and only once', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ntc-edge-test-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // The edge is unreachable while the first process runs (nothing listens there)…
    const gone = await edgeEndpoint();
    const unreachable = gone.url;
    await gone.close();
    const first = new TagStore({ redis: null, dir, prefix: 'edge' });
    first.onInvalidation(edgePurger({ url: unreachable, secret: SECRET }, { dir }));
    expect((await first.update(['post:6'], { expire: 0 })).status).toBe('queued');

    // …which then stops (its retries go nowhere); the instance starts again on the same CACHE_DIR, the edge is back.
    const edge = await edgeEndpoint();
    edgePurger({ url: edge.url, secret: SECRET }, { dir });
    await expect.poll(() => edge.received, { timeout: 5_000 }).toEqual([{ method: 'PURGE', secret: SECRET, kind: 'hard', tags: 'post:6' }]);

    // Delivered: a later start has nothing to resend (a resend would be sent before its own first purge).
    const later = await edgeEndpoint();
    const third = new TagStore({ redis: null, dir, prefix: 'edge' });
    third.onInvalidation(edgePurger({ url: later.url, secret: SECRET }, { dir }));
    expect((await third.update(['post:7'], { expire: 0 })).status).toBe('applied');
    expect(later.received).toEqual([{ method: 'PURGE', secret: SECRET, kind: 'hard', tags: 'post:7' }]);
  });

  it('reads its settings from the environment, and refuses an edge without a secret', () => {
    expect(edgeConfig({})).toBeNull();
    expect(edgeConfig({ EDGE_PURGE_URL: 'http://127.0.0.1:3000/', EDGE_PURGE_SECRET: SECRET })).toEqual({ url: 'http://127.0.0.1:3000/', secret: SECRET });
    expect(() => edgeConfig({ EDGE_PURGE_URL: 'http://127.0.0.1:3000/' })).toThrow(/EDGE_PURGE_SECRET/);
    expect(purgeKind({ id: 'x', tags: ['a'], at: 10, expired: 10 })).toBe('hard');
    expect(purgeKind({ id: 'x', tags: ['a'], at: 10, stale: 10, expired: 20 })).toBe('soft');
  });
});
