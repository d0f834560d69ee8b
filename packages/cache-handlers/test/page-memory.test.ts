// The page LRU holds what CACHE_MEMORY_MB counts: each entry is kept as its serialised bytes (one Buffer, off the JS
// heap), not as the objects Next handed over, and every read gets a copy of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadLocalPageHandler } from './local-handlers';

type Page = { value: { html: string; headers: Record<string, string> } };
const dir = mkdtempSync(path.join(os.tmpdir(), 'ntc-page-memory-'));
let handler: { get(key: string, ctx: object): Promise<Page | null>; set(key: string, data: unknown, ctx: object): Promise<void> };
let store: { get(key: string, usable: () => boolean): Promise<{ value: unknown } | undefined>; memoryUsage(): { bytes: number } };

beforeAll(async () => {
  handler = (await loadLocalPageHandler(dir)) as unknown as typeof handler;
  const { entryStoreFor } = await import('../entry-store.mjs');
  store = entryStoreFor('pages', { perBuild: true }) as unknown as typeof store;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('keeps a page as the one Buffer it counts, and hands each read its own copy', async () => {
  // Two-byte HTML (a '→'): 400 KB as a string on the heap.
  const html = `<p>→</p>${'x'.repeat(200_000)}`;
  await handler.set('/posts/big', { kind: 'APP_PAGE', html, headers: { 'x-next-cache-tags': 'post:1' } }, { cacheControl: { revalidate: 60, expire: 600 } });
  const record = await store.get('/posts/big', () => true);
  expect(Buffer.isBuffer(record?.value), 'the value is kept serialised').toBe(true);
  expect(store.memoryUsage().bytes).toBeGreaterThanOrEqual((record!.value as Buffer).byteLength);

  const first = await handler.get('/posts/big', { kind: 'APP_PAGE' });
  expect(first?.value.html).toBe(html);
  first!.value.headers['x-next-cache-tags'] = 'changed by a reader';
  expect((await handler.get('/posts/big', { kind: 'APP_PAGE' }))?.value.headers['x-next-cache-tags']).toBe('post:1');
});
