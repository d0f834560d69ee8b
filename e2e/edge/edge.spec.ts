// The edge cache (Varnish, deploy/varnish/) in front of one instance: `npm test` runs these with BASE_URL pointing
// at the edge and APP_URL at the instance behind it (scripts/test.ts, edge phase).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { expect, request as playwrightRequest, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { tags } from '../../lib/cache/tags';
import { db, publishedPost } from '../support/db';
import { expectFreshAtOnce, timesShown } from '../support/freshness';
import { scrape, valueOf } from '../support/metrics';
import { ADA, LENA, signedInPage } from '../support/studio';
import { sendWebhook } from '../support/webhook';

const APP_URL = process.env.APP_URL;
const edgeState = (response: APIResponse) => response.headers()['x-edge-cache'];
const RSC = { rsc: '1' };

test.beforeAll(() => {
  if (!APP_URL) throw new Error('APP_URL (the instance behind the edge) is not set: run the edge specs through `npm test`');
});

/** Requests `url` through the edge until the edge serves it from its cache (the first request may miss). */
async function cachedAtEdge(request: APIRequestContext, url: string, headers: Record<string, string> = {}) {
  await expect.poll(async () => edgeState(await request.get(url, { headers })), { message: `${url} is never kept by the edge`, timeout: 10_000 }).toBe('HIT');
}

async function restore(request: APIRequestContext, post: { id: number; title: string }) {
  await db()`update posts set title = ${post.title} where id = ${post.id}`;
  await sendWebhook(request, { tags: [tags.post(post.id)], mode: 'expire' });
}

test('every cached response reaches the edge with the tags of its content, HTML and RSC alike, and clients never see them', async ({ request }) => {
  const post = await publishedPost(3);
  // A miss first (the post expired now), then a hit: both carry the tags.
  expect((await sendWebhook(request, { tags: [tags.post(post.id)], mode: 'expire' })).status()).toBe(200);
  for (const headers of [{}, {}, RSC]) {
    const direct = await request.get(`${APP_URL}/posts/${post.slug}`, { headers });
    expect(direct.status()).toBe(200);
    const sent = (direct.headers()['x-ntc-cache-tags'] ?? '').split(',');
    for (const tag of [tags.post(post.id), tags.postSlug(post.slug), tags.content]) expect(sent, JSON.stringify(headers)).toContain(tag);
  }
  const feed = await request.get(`${APP_URL}/feed.xml`);
  expect((feed.headers()['x-ntc-cache-tags'] ?? '').split(',')).toContain(tags.posts);

  await cachedAtEdge(request, `/posts/${post.slug}`);
  const throughEdge = await request.get(`/posts/${post.slug}`);
  expect(throughEdge.headers()['x-ntc-cache-tags']).toBeUndefined();
  expect(throughEdge.headers().xkey).toBeUndefined();
});

test('HTML and RSC answers for one URL are kept apart at the edge', async ({ request }) => {
  const post = await publishedPost(4);
  const url = `/posts/${post.slug}`;
  for (const [headers, type] of [
    [{}, 'text/html'],
    [RSC, 'text/x-component'],
    [{ ...RSC, 'next-router-prefetch': '1' }, 'text/x-component'],
    [{}, 'text/html'],
  ] as const) {
    for (let i = 0; i < 2; i++) {
      const response = await request.get(url, { headers });
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type'], `${JSON.stringify(headers)} #${i + 1}`).toContain(type);
      const body = await response.text();
      if (type === 'text/html') expect(body.startsWith('<!DOCTYPE html>')).toBe(true);
      else expect(body).not.toContain('<!DOCTYPE html>');
    }
  }
  // Both were kept, apart: the HTML's and the RSC answer's repeats are edge hits, each of its own type (checked above).
  await cachedAtEdge(request, url);
  await cachedAtEdge(request, url, RSC);
});

test('after expire, the purge has reached the edge when the webhook answers: the first request is fresh', async ({ request }) => {
  const post = await publishedPost(7);
  const url = `/posts/${post.slug}`;
  const changed = `${post.title} (edge, expire)`;
  try {
    await cachedAtEdge(request, url);
    await db()`update posts set title = ${changed} where id = ${post.id}`;
    // Without a purge the edge would keep answering its copy: the row changed behind the app's back.
    expect(timesShown(await (await request.get(url)).text(), changed)).toBe(0);
    expect((await sendWebhook(request, { tags: [tags.post(post.id)], mode: 'expire' })).status()).toBe(200);
    await expectFreshAtOnce(async () => {
      const response = await request.get(url);
      expect(edgeState(response)).toBe('MISS');
      return timesShown(await response.text(), changed) > 0;
    }, 'through the edge');
  } finally {
    await restore(request, post);
  }
});

test("after 'max', the edge serves its copy once, then the fresh render (never Next's own stale copy again)", async ({ request }) => {
  const post = await publishedPost(8);
  const url = `/posts/${post.slug}`;
  const changed = `${post.title} (edge, max)`;
  try {
    await cachedAtEdge(request, url);
    await db()`update posts set title = ${changed} where id = ${post.id}`;
    expect((await sendWebhook(request, { tags: [tags.post(post.id)], mode: 'max' })).status()).toBe(200);
    const load = async () => {
      const response = await request.get(url);
      return { state: edgeState(response), fresh: timesShown(await response.text(), changed) > 0 };
    };
    // Exactly once: the soft purge reached the edge before the webhook answered, so its first answer is its own copy,
    // served stale; the next request waits for the fresh render instead of getting the stale copy again.
    const first = await load();
    expect(first, 'the first request after max gets the edge copy, stale').toEqual({ state: 'STALE', fresh: false });
    expect((await load()).fresh, 'the second request after max is fresh').toBe(true);
    expect((await load()).fresh, 'and it stays fresh').toBe(true);
  } finally {
    await restore(request, post);
  }
});

/** The invalidations this instance recorded in its tag journal since `since` (ms), oldest first. */
function journaledSince(since: number): { tags: string[]; at: number }[] {
  const file = path.join(process.env.NEXT_DIST_DIR ?? '.next', 'cache', 'tagged', 'tags.jsonl');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line).o)
    .filter((op) => op && op.at >= since);
}

test('a save is one invalidation per mode: one tag-store write and one purge for the post, one for the lists', async ({ browser, request }) => {
  const post = await publishedPost(9);
  const app = await playwrightRequest.newContext({ baseURL: APP_URL });
  const purges = async () => {
    const values = await scrape(app);
    return { hard: valueOf(values, 'ntc_edge_purges_total{kind="hard"}'), soft: valueOf(values, 'ntc_edge_purges_total{kind="soft"}') };
  };
  const page = await signedInPage(browser, LENA);
  try {
    await page.goto(`/studio/posts/${post.id}`);
    const before = await purges();
    const since = Date.now();
    await page.getByLabel('Title').fill(`${post.title} (one save)`);
    const started = performance.now();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByTestId('form-message')).toHaveText('Saved.');
    console.log(`one save answered in ${Math.round(performance.now() - started)} ms`);
    // A later invalidation, awaited: every purge the save sent, however late, has reached the edge before it.
    const marker = tags.post(999_999);
    expect((await sendWebhook(request, { tags: [marker], mode: 'expire' })).status()).toBe(200);
    const saved = journaledSince(since).filter((op) => !op.tags.includes(marker));
    const after = await purges();
    expect(saved.map((op) => op.tags.sort().join(' ')), 'the tag journal').toHaveLength(2);
    expect(saved.find((op) => op.tags.includes(tags.postSlug(post.slug))), 'the post, expired').toBeDefined();
    expect(saved.find((op) => op.tags.includes(tags.post(post.id))), "the lists, 'max'").toBeDefined();
    expect({ hard: after.hard - before.hard, soft: after.soft - before.soft }).toEqual({ hard: 2, soft: 1 });
  } finally {
    await page.context().close();
    await app.dispose();
    await restore(request, post);
  }
});

test('a client-side navigation after an invalidation shows the fresh content through the edge', async ({ browser, request }) => {
  const post = await publishedPost(0);
  const changed = `${post.title} (edge, navigation)`;
  /** From the home page, a client-side navigation (an RSC request through the edge) to the post. */
  async function navigate() {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto('/');
    const rsc = page.waitForResponse((r) => r.url().includes(`/posts/${post.slug}`) && r.request().headers().rsc === '1');
    await page.locator(`a[href="/posts/${post.slug}"]:visible`).first().click();
    await expect(page).toHaveURL(new RegExp(`/posts/${post.slug}$`));
    await rsc;
    const heading = (await page.getByRole('heading', { level: 1 }).filter({ visible: true }).textContent()) ?? '';
    await context.close();
    return heading;
  }
  try {
    expect(await navigate()).toBe(post.title);
    expect(await navigate()).toBe(post.title); // the edge now holds the RSC answers of this navigation
    await db()`update posts set title = ${changed} where id = ${post.id}`;
    expect((await sendWebhook(request, { tags: [tags.post(post.id)], mode: 'expire' })).status()).toBe(200);
    expect(await navigate()).toBe(changed);
  } finally {
    await restore(request, post);
  }
});

test('a signed-in author gets the public pages from the edge like everyone, and the studio from the app', async ({ browser }) => {
  const page = await signedInPage(browser, ADA);
  await cachedAtEdge(page.request, '/');
  for (const url of ['/studio', '/studio']) {
    const response = (await page.goto(url))!;
    expect(response.status(), url).toBe(200);
    expect((await response.allHeaders())['x-edge-cache'], url).toBe('PASS');
  }
  // The author's own studio, not a copy kept for someone else.
  await expect(page.getByTestId('signed-in-as').filter({ visible: true })).toBeVisible();
  await page.context().close();
});

test('no cookie or header a client can invent buys a pass at the edge', async ({ request }) => {
  const post = await publishedPost(5);
  const url = `/posts/${post.slug}`;
  await cachedAtEdge(request, url);
  const invented: Record<string, string>[] = [
    { cookie: 'better-auth.session_token=forged.token' },
    { cookie: '__prerender_bypass=0123456789abcdef0123456789abcdef' },
    { 'next-action': '7f0123456789abcdef' },
  ];
  for (const headers of invented) {
    expect(edgeState(await request.get(url, { headers })), JSON.stringify(headers)).toBe('HIT');
  }
});

test('one copy of a page at the edge, whatever router headers, query strings or hosts clients invent', async ({ request }) => {
  const post = await publishedPost(6);
  const url = `/posts/${post.slug}`;
  await cachedAtEdge(request, url);
  const states: string[] = [];
  for (let i = 0; i < 30; i++) {
    const tree = encodeURIComponent(JSON.stringify(['', { children: [`invented-${i}`, {}] }, null, null, true]));
    states.push(edgeState(await request.get(url, { headers: { 'next-router-state-tree': tree, 'next-router-prefetch': String(i % 2) } })));
    states.push(edgeState(await request.get(`${url}?utm_source=${i}&page=${i}`)));
    states.push(edgeState(await request.get(url, { headers: { host: `invented-${i}.example` } })));
  }
  expect(states.filter((state) => state !== 'HIT')).toEqual([]);
});

/**
 * Sends a request by hand and returns the status line of the answer: the edge may answer before it has read the
 * whole body and close the connection, which an HTTP client takes for a failure of its own.
 */
async function statusLine(head: string, body: Buffer[]) {
  const edge = new URL(process.env.BASE_URL!);
  const socket = net.connect(Number(edge.port), edge.hostname);
  socket.on('error', () => {});
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
  const ended = new Promise((resolve) => socket.once('close', resolve));
  socket.write(head);
  for (const chunk of body) if (!socket.destroyed) socket.write(chunk);
  await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  socket.destroy();
  return answer.split('\r\n')[0];
}

test('a request body larger than any form sends is refused at the edge, however it is sent', async () => {
  const mib = Buffer.alloc(1024 * 1024, 'a');
  const post = (framing: string) => `POST /api/revalidate HTTP/1.1\r\nHost: edge\r\nContent-Type: application/json\r\n${framing}\r\n`;
  expect(await statusLine(post(`Content-Length: ${3 * mib.length}\r\n`), [mib])).toBe('HTTP/1.1 413 Request body too large');
  // Chunked (no Content-Length): the edge counts what it reads, and stops at 2 MB. It answers 413, but closes the
  // connection on a client still sending, whose system may then drop that answer: either way the app never gets it
  // (it would answer 401 at once: the webhook checks its signature headers before reading a body).
  const chunk = Buffer.concat([Buffer.from(`${mib.length.toString(16)}\r\n`), mib, Buffer.from('\r\n')]);
  const chunked = await statusLine(post('Transfer-Encoding: chunked\r\n'), [chunk, chunk, chunk, Buffer.from('0\r\n\r\n')]);
  expect(['HTTP/1.1 413 Request body too large', '']).toContain(chunked);
});

test('POSTs are never cached, and a POST never answers a later GET', async ({ request }) => {
  for (let i = 0; i < 2; i++) {
    const response = await request.post('/', { headers: { 'content-type': 'text/plain' }, data: 'x' });
    expect(edgeState(response)).toBe('PASS');
    const webhook = await request.post('/api/revalidate', { headers: { 'content-type': 'application/json' }, data: '{}' });
    expect(webhook.status()).toBe(401);
    expect(edgeState(webhook)).toBe('PASS');
  }
  await cachedAtEdge(request, '/');
  const after = await request.get('/');
  expect(after.headers()['content-type']).toContain('text/html');
});

test('the purge secret works from the app\'s own address only, and BAN is no way around it', async ({ request }) => {
  const post = await publishedPost(2);
  await cachedAtEdge(request, `/posts/${post.slug}`);
  const edge = new URL(process.env.BASE_URL!);
  const send = (method: string, localAddress: string) =>
    new Promise<number>((resolve, reject) => {
      const headers = { 'x-edge-purge-secret': process.env.EDGE_PURGE_SECRET!, 'x-edge-purge': 'hard', 'x-edge-tags': tags.post(post.id) };
      const sent = http.request({ host: edge.hostname, port: edge.port, path: '/', method, headers, localAddress, agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode!);
      });
      sent.on('error', reject);
      sent.end();
    });
  expect(await send('PURGE', '127.0.0.2')).toBe(403);
  expect(await send('BAN', '127.0.0.2')).not.toBe(200);
  expect(await send('BAN', '127.0.0.1')).not.toBe(200);
  expect(edgeState(await request.get(`/posts/${post.slug}`))).toBe('HIT');
});

test('only the app may purge: a PURGE without the secret is refused and purges nothing', async ({ request }) => {
  const post = await publishedPost(2);
  await cachedAtEdge(request, `/posts/${post.slug}`);
  const attempts: Record<string, string>[] = [{}, { 'x-edge-purge-secret': 'not-the-secret-at-all', 'x-edge-purge': 'hard', 'x-edge-tags': tags.post(post.id) }];
  for (const headers of attempts) {
    const response = await request.fetch('/', { method: 'PURGE', headers });
    expect(response.status()).toBe(403);
  }
  expect(edgeState(await request.get(`/posts/${post.slug}`))).toBe('HIT');
});
