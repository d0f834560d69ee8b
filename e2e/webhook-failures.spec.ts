// The webhook when the database fails under it: every answer is JSON, says to retry, and the retry is acted on
// (a delivery is a duplicate only once its invalidation was applied). Issue 10, items 10 and 11; issue 7.
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { expect, test } from '@playwright/test';
import { tags } from '../lib/cache/tags';
import { db } from './support/db';
import { scrape, valueOf } from './support/metrics';
import { secret, sendWebhook } from './support/webhook';
import { signDelivery } from '../lib/webhooks/secrets';

test('a database failure answers JSON 503 quickly, and the same delivery sent again is applied, not a duplicate', async ({ request }) => {
  test.setTimeout(60_000);
  const id = `msg_${randomUUID()}`;
  const body = { tags: [tags.posts], mode: 'expire' };

  // Hold a lock on the revalidation log: the webhook's write waits, and the app's statement timeout ends it.
  let answer: { status: number; json: unknown; ms: number } | undefined;
  await db().begin(async (tx) => {
    await tx`lock table revalidations in access exclusive mode`;
    const started = Date.now();
    const response = await sendWebhook(request, body, { id });
    answer = { status: response.status(), json: await response.json(), ms: Date.now() - started };
  });
  expect(answer?.status).toBe(503);
  expect(answer?.json).toMatchObject({ error: expect.stringContaining('retry') });
  expect(answer?.ms).toBeLessThan(20_000);

  // The database is back: the sender's retry is acted on, and only then is it recorded as applied.
  const retry = await sendWebhook(request, body, { id });
  expect(retry.status()).toBe(200);
  expect(await retry.json()).toMatchObject({ duplicate: false, status: 'applied', revalidated: [tags.posts] });
  const [row] = await db()`select outcome from revalidations where delivery_id = ${id}`;
  expect(row.outcome).toBe('applied');

  const again = await sendWebhook(request, body, { id });
  expect(await again.json()).toMatchObject({ duplicate: true });
});

/** A signed delivery whose sender closes the connection after the headers and part of the body. */
function hangUpMidBody(baseURL: string, body: string): Promise<void> {
  const { hostname, port } = new URL(baseURL);
  const head = [
    'POST /api/revalidate HTTP/1.1',
    `Host: ${hostname}:${port}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(signDelivery(secret(), `msg_${randomUUID()}`, body)).map(([k, v]) => `${k}: ${v}`),
    '',
    '',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(head + body.slice(0, 8));
      setTimeout(() => socket.destroy(), 300);
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

test('a sender that hangs up mid-body is no database outage: no 503 is counted', async ({ request, baseURL }) => {
  const series = 'ntc_webhook_responses_total{status="503"}';
  const before = valueOf(await scrape(request), series);
  const body = JSON.stringify({ tags: [tags.posts], mode: 'max' });
  for (let i = 0; i < 5; i++) await hangUpMidBody(baseURL!, body);
  // The app has seen every hang-up by the time a complete delivery is answered.
  expect((await sendWebhook(request, JSON.parse(body))).status()).toBe(200);
  expect(valueOf(await scrape(request), series)).toBe(before);
});
