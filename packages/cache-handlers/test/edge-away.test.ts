// An edge that is away or slow never holds up the author: update() awaits one short purge attempt while the edge
// answers, and none while it is known to be failing; the invalidation is reported queued until the edge takes it,
// and announced to onLanded listeners when it does. Against real HTTP servers on this machine.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { edgePurger } from '../edge.mjs';
import { TagStore } from '../tag-store.mjs';
import { freePort } from './redis-server';

const SECRET = 'a-purge-secret-for-tests';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An edge on `port` that answers each purge 200 after `delayMs`, recording the tags it was asked to purge. */
async function edgeOn(port: number, delayMs = 0) {
  const purged: string[] = [];
  const server = http.createServer((req, res) => {
    setTimeout(() => {
      purged.push(String(req.headers['x-edge-tags']));
      res.end('Purged');
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return purged;
}

function storeWithEdgeOn(port: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ntc-edge-away-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const store = new TagStore({ redis: null, dir, prefix: 'edge-away' });
  store.onInvalidation(edgePurger({ url: `http://127.0.0.1:${port}/`, secret: SECRET }, { dir }));
  const landed: string[] = [];
  store.onLanded((ids) => landed.push(...ids));
  return { store, landed };
}

/** update()'s answer and how long it took (ms). */
async function timed(promise: Promise<{ id: string; status: string }>) {
  const started = performance.now();
  const result = await promise;
  return { ...result, ms: performance.now() - started };
}

describe('an edge that is away', () => {
  it('once an attempt failed, update() does not wait for the edge at all; the invalidations land when it is back', async () => {
    const port = await freePort();
    const { store, landed } = storeWithEdgeOn(port);
    const first = await timed(store.update(['post:1'], { expire: 0 }));
    expect(first.status).toBe('queued');
    const second = await timed(store.update(['post:2'], { expire: 0 }));
    expect(second.status).toBe('queued');
    expect(second.ms, 'the edge is known to be failing: no wait').toBeLessThan(300);
    expect(store.isOutstanding(first.id) && store.isOutstanding(second.id)).toBe(true);

    const purged = await edgeOn(port);
    await expect.poll(() => landed, { timeout: 15_000 }).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(store.isOutstanding(first.id) || store.isOutstanding(second.id)).toBe(false);
    expect(purged.toSorted()).toEqual(['post:1', 'post:2']);

    const third = await timed(store.update(['post:3'], { expire: 0 }));
    expect(third.status, 'the edge answers again: awaited, applied').toBe('applied');
  });

  it('a slow edge holds update() for one short attempt only, and the invalidation lands when the edge answers', async () => {
    const port = await freePort();
    const purged = await edgeOn(port, 2_500);
    const { store, landed } = storeWithEdgeOn(port);
    const slow = await timed(store.update(['post:4'], { expire: 0 }));
    expect(slow.status).toBe('queued');
    expect(slow.ms).toBeLessThan(1_500);
    expect(store.isOutstanding(slow.id)).toBe(true);
    await expect.poll(() => landed, { timeout: 10_000 }).toContain(slow.id);
    expect(purged).toEqual(['post:4']);
  });
});
