import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { tags } from '../lib/cache/tags';
import { newSecret, parseSecrets, signDelivery } from '../lib/webhooks/secrets';
import { db, publishedPost } from './support/db';
import { secret, sendWebhook } from './support/webhook';

test('bad deliveries are refused with the right status and a JSON error, and change nothing', async ({ page, request }) => {
  const post = await publishedPost(5);
  await page.goto(`/posts/${post.slug}`);
  const changed = `${post.title} (edited upstream)`;
  await db()`update posts set title = ${changed} where id = ${post.id}`;
  const valid = JSON.stringify({ tags: [tags.post(post.id)], mode: 'expire' });
  const signed = (body: string, options: { at?: Date; key?: string; id?: string } = {}) =>
    signDelivery(options.key ?? secret(), options.id ?? `msg_${randomUUID()}`, body, options.at);

  const cases: [string, () => Promise<import('@playwright/test').APIResponse>, number][] = [
    ['no signature headers', () => request.post('/api/revalidate', { headers: { 'content-type': 'application/json' }, data: valid }), 401],
    ['a malformed signature', () => request.post('/api/revalidate', { headers: { ...signed(valid), 'webhook-signature': 'not-a-signature' }, data: valid }), 401],
    ['a signature of the wrong length', () => request.post('/api/revalidate', { headers: { ...signed(valid), 'webhook-signature': 'v1,AAAA' }, data: valid }), 401],
    ['the wrong secret', () => sendWebhook(request, valid, { key: newSecret() }), 401],
    ['a timestamp ten minutes old', () => sendWebhook(request, valid, { at: new Date(Date.now() - 600_000) }), 401],
    ['a non-numeric timestamp', () => request.post('/api/revalidate', { headers: { ...signed(valid), 'webhook-timestamp': 'yesterday' }, data: valid }), 401],
    ['a body changed after signing', () => request.post('/api/revalidate', { headers: signed(valid), data: valid.replace('expire', 'max') }), 401],
    ['malformed JSON', () => sendWebhook(request, '{"tags": [', {}), 400],
    ['tags that are not a list', () => sendWebhook(request, { tags: tags.post(post.id) }), 400],
    ['an empty tag', () => sendWebhook(request, { tags: [''] }), 400],
    ['a tag over 256 characters', () => sendWebhook(request, { tags: [tags.postSlug('a'.repeat(250))] }), 400],
    ['more than 64 tags', () => sendWebhook(request, { tags: Array.from({ length: 65 }, (_, i) => tags.post(i + 1)) }), 400],
    ['an unknown mode', () => sendWebhook(request, { tags: [tags.post(post.id)], mode: 'now' }), 400],
    ['a tag the app does not use', () => sendWebhook(request, { tags: [tags.post(12), 'everything'] }), 400],
    ['extra fields', () => sendWebhook(request, { tags: [tags.post(post.id)], purge: true }), 400],
    ['a body over 64 KiB', () => sendWebhook(request, { tags: [tags.post(post.id)], padding: 'x'.repeat(70_000) }), 413],
    ['GET', () => request.get('/api/revalidate'), 405],
    ['PUT', () => request.put('/api/revalidate', { headers: signed(valid), data: valid }), 405],
    ['DELETE', () => request.delete('/api/revalidate'), 405],
  ];
  try {
    for (const [name, send, status] of cases) {
      const response = await send();
      expect(response.status(), name).toBe(status);
      expect(response.headers()['content-type'], name).toContain('application/json');
      expect((await response.json()).error, name).toBeTruthy();
    }
    expect((await request.get('/api/revalidate')).headers().allow).toBe('POST');
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(post.title);

    // The same delivery, correctly signed, is accepted: with `expire`, the first response is the new render.
    expect((await sendWebhook(request, valid)).status()).toBe(200);
    expect(await (await page.reload())!.text()).toContain(`>${changed}<`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(changed);
  } finally {
    await db()`update posts set title = ${post.title} where id = ${post.id}`;
    await sendWebhook(request, { tags: [tags.post(post.id)], mode: 'expire' });
  }
});

test('a replayed delivery is acknowledged but not acted on twice', async ({ page, request }) => {
  const post = await publishedPost(6);
  const id = `msg_${randomUUID()}`;
  const body = { tags: [tags.post(post.id)], mode: 'expire' };
  const first = await sendWebhook(request, body, { id });
  expect(await first.json()).toMatchObject({ id, duplicate: false, revalidated: [tags.post(post.id)] });

  await page.goto(`/posts/${post.slug}`);
  const stamp = await page.locator('article time[data-cached-at]').getAttribute('data-cached-at');
  // Re-sent later with a fresh timestamp and signature, as senders do when they did not see the answer.
  const again = await sendWebhook(request, body, { id, at: new Date(Date.now() + 2000) });
  expect(again.status()).toBe(200);
  expect(await again.json()).toMatchObject({ id, duplicate: true, revalidated: [] });
  await page.reload();
  expect(await page.locator('article time[data-cached-at]').getAttribute('data-cached-at')).toBe(stamp);
  expect(await db()`select 1 from revalidations where delivery_id = ${id}`).toHaveLength(1);
  expect(await db()`select outcome from revalidations where actor = ${id} order by id`).toEqual([{ outcome: 'applied' }, { outcome: 'duplicate' }]);
});

test('during a secret rotation, deliveries signed with either configured secret are accepted', async ({ request }) => {
  const configured = parseSecrets(process.env.REVALIDATE_SECRET);
  expect(configured, 'npm test configures two secrets').toHaveLength(2);
  for (const key of configured) expect((await sendWebhook(request, { tags: [tags.posts] }, { key })).status()).toBe(200);
  expect((await sendWebhook(request, { tags: [tags.posts] }, { key: newSecret() })).status()).toBe(401);
});

test('the revalidation log on /cache shows webhook and studio invalidations', async ({ page, request }) => {
  const id = `msg_${randomUUID()}`;
  await sendWebhook(request, { tags: [tags.categories], mode: 'max' }, { id });
  await page.goto('/cache');
  const event = page.getByTestId('invalidation').filter({ hasText: id });
  await expect(event).toContainText('webhook');
  await expect(event).toContainText(tags.categories);
  await expect(event).toContainText("revalidateTag 'max'");
  const last = page.getByTestId('tag-table').locator(`tr[data-pattern="${tags.categories}"]`).getByTestId('tag-last');
  await expect(last).toContainText("webhook, revalidateTag 'max'");
  await expect(page.getByText('post:<id>')).toBeVisible(); // the vocabulary
});

test('too many requests from one client get 429 with Retry-After', async ({ request }) => {
  // Unsigned requests: they use up only the unverified budget, so the other tests' signed deliveries go on
  // (e2e/security.spec.ts). The X-Forwarded-For is ignored, as no proxy is trusted.
  const headers = { 'x-forwarded-for': '203.0.113.7', 'content-type': 'application/json' };
  let limited: import('@playwright/test').APIResponse | undefined;
  for (let i = 0; i < 130 && !limited; i++) {
    const response = await request.post('/api/revalidate', { headers, data: '{}' });
    if (response.status() === 429) limited = response;
    else expect(response.status()).toBe(401);
  }
  expect(limited, 'no 429 within 130 requests').toBeDefined();
  expect(Number(limited!.headers()['retry-after'])).toBeGreaterThan(0);
  expect((await limited!.json()).error).toBe('too many requests');
});

test('ten concurrent copies of one delivery: one is applied, the others are duplicates or asked to retry', async ({ request }) => {
  const post = await publishedPost(6);
  const id = `msg_${randomUUID()}`;
  const body = { tags: [tags.post(post.id)], mode: 'expire' };
  const answers = await Promise.all(Array.from({ length: 10 }, () => sendWebhook(request, body, { id })));
  const results = await Promise.all(answers.map(async (a) => ({ status: a.status(), body: await a.json() })));
  expect(results.filter((r) => r.status === 200 && r.body.duplicate === false)).toHaveLength(1);
  for (const r of results) if (!(r.status === 200 && r.body.duplicate === false)) expect([200, 409, 503]).toContain(r.status);
  expect(await db()`select outcome from revalidations where delivery_id = ${id}`).toEqual([{ outcome: 'applied' }]);
});
