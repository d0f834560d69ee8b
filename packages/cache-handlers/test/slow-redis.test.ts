// A Redis that stays connected but stops answering (CLIENT PAUSE, as in a failover or a fork stall) against a private
// redis-server: each request may lose a small, bounded delay to it, never a command timeout every time, and once
// it answers again the instance rejoins and reads the invalidations made meanwhile.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connectRedis, isReady, type CacheRedis } from '../redis.mjs';
import { TagStore } from '../tag-store.mjs';
import { freePort } from './redis-server';
import { RedisServer } from './redis-server';

let redis: RedisServer;
const clients: CacheRedis[] = [];
const dirs: string[] = [];

async function instance(prefix: string) {
  const client = connectRedis(redis.url);
  clients.push(client);
  await expect.poll(() => client.status, { timeout: 10_000 }).toBe('ready');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ntc-slow-redis-'));
  dirs.push(dir);
  return { client, tags: new TagStore({ redis: client, dir, prefix }) };
}

beforeAll(async () => {
  redis = new RedisServer(await freePort());
  await redis.start();
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await redis.stop();
});

it('a paused Redis costs a few requests half a second at most, the rest nothing; the instance rejoins after', async () => {
  const prefix = `slow-${Date.now()}`;
  const a = await instance(prefix);
  const b = await instance(prefix);
  await a.tags.sync();

  const admin = connectRedis(redis.url);
  clients.push(admin);
  await expect.poll(() => admin.status).toBe('ready');
  const pauseMs = 4_000;
  await admin.call('CLIENT', 'PAUSE', String(pauseMs), 'ALL');
  const pausedAt = performance.now();

  // Twelve requests, one after another, each syncing tag state as refreshTags does before its first read.
  const took: number[] = [];
  for (let i = 0; i < 12; i++) {
    const started = performance.now();
    await a.tags.sync();
    took.push(performance.now() - started);
  }
  expect(Math.max(...took)).toBeLessThan(700);
  expect(took.slice(4).every((ms) => ms < 50)).toBe(true);
  expect(performance.now() - pausedAt).toBeLessThan(pauseMs); // all of them within the pause
  expect(isReady(a.client)).toBe(false); // open: serving from local state

  // Once Redis answers again, A trusts it again and sees what B invalidates.
  await expect.poll(() => isReady(a.client), { timeout: pauseMs + 5_000 }).toBe(true);
  await expect.poll(() => isReady(b.client), { timeout: 5_000 }).toBe(true);
  const { status } = await b.tags.update(['post:slow'], undefined);
  expect(status).toBe('applied');
  await expect
    .poll(async () => {
      await a.tags.sync();
      return a.tags.isExpired(['post:slow'], Date.now() - 60_000);
    }, { timeout: 5_000 })
    .toBe(true);
}, 30_000);
