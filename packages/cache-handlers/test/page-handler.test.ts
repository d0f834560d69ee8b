// The page handler (pages.mjs) with local storage: an entry is dated by when its render began.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalPageHandler } from './local-handlers';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ntc-pages-'));
let handler: { get(key: string, ctx: object): Promise<unknown>; set(key: string, data: unknown, ctx: object): Promise<void> };
let update: (tags: string[]) => Promise<unknown>;
let now: () => number;

beforeAll(async () => {
  handler = await loadLocalPageHandler(dir);
  const { getTagStore } = await import('../tag-store.mjs');
  ({ now } = await import('../clock.mjs'));
  update = (tags) => getTagStore().update(tags, undefined);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ctx = { kind: 'APP_PAGE' };
const page = (html: string) => ({ kind: 'APP_PAGE', html, headers: { 'x-next-cache-tags': 'author:1' } });
const stored = { cacheControl: { revalidate: 3600, expire: 86_400 } };

describe('the page handler', () => {
  it('treats a render that began before an invalidation and was stored after it as stale data: a miss', async () => {
    expect(await handler.get('/authors/ada', ctx)).toBeNull(); // a miss: Next starts rendering, reading the old name
    await update(['author:1']); // the author is renamed meanwhile, perhaps in the same millisecond
    const invalidatedAt = now();
    await handler.set('/authors/ada', page('old name'), stored);
    // A render that begins in the invalidation's own millisecond is taken as older than it (once more is the safe
    // side); the clock has to move on for the next read to start a render that counts as newer.
    while (now() <= invalidatedAt) await new Promise((resolve) => setTimeout(resolve, 1));
    expect(await handler.get('/authors/ada', ctx), 'rendered from data older than the invalidation').toBeNull();

    // That miss began a new render, after the invalidation: its entry is served.
    await handler.set('/authors/ada', page('new name'), stored);
    expect(await handler.get('/authors/ada', ctx)).toMatchObject({ value: { html: 'new name' } });
  });
});
