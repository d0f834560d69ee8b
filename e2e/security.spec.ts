// Rate limits and the client address, as a hostile client tries them: concurrent sign-in guesses, a rotated or
// oversized X-Forwarded-For, and an unsigned flood next to a signed sender on one address.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../db/seed-data';
import { tags } from '../lib/cache/tags';
import { signDelivery } from '../lib/webhooks/secrets';
import { db } from './support/db';
import { secret, sendWebhook } from './support/webhook';

const PRIYA = 'priya@example.com'; // no other test signs in as Priya
const MARKER = 'captured-password-marker';
const LIMIT = 5; // SIGN_IN_RATE_LIMIT's default: failures per client for one account per 5 minutes

/**
 * The sign-in Server Action as the page's JavaScript sends it, captured (and not sent) so a test can replay it with
 * other passwords, concurrently, the way a script would.
 */
async function captureSignIn(page: Page) {
  let captured: { headers: Record<string, string>; body: Buffer } | undefined;
  await page.route('**/sign-in**', async (route) => {
    const request = route.request();
    if (request.method() !== 'POST') return route.continue();
    captured = { headers: await request.allHeaders(), body: request.postDataBuffer()! };
    await route.abort();
  });
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(PRIYA);
  await page.getByLabel('Password').fill(MARKER);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => captured !== undefined).toBe(true);
  const { headers, body } = captured!;
  const replayHeaders = Object.fromEntries(
    ['next-action', 'next-router-state-tree', 'content-type', 'accept', 'origin'].map((h) => [h, headers[h]]).filter(([, v]) => v),
  );
  const data = (password: string, email: string) => Buffer.from(body.toString('latin1').replace(MARKER, password).replace(PRIYA, email), 'latin1');
  const outcomeOf = (status: number, redirected: boolean, text: string) =>
    redirected
      ? 'signed in'
      : text.includes('Too many failed sign-in attempts')
        ? 'limited'
        : text.includes('Wrong email or password.')
          ? 'wrong'
          : `unexpected ${status}: ${text.slice(0, 200)}`;
  const signIn = async (request: APIRequestContext, password: string, { headers: extraHeaders = {}, email = PRIYA } = {}) => {
    const response = await request.post('/sign-in', { headers: { ...replayHeaders, ...extraHeaders }, data: data(password, email), maxRedirects: 0 });
    const text = await response.text();
    return { status: response.status(), outcome: outcomeOf(response.status(), !!response.headers()['x-action-redirect'], text) };
  };
  /** The same post from a loopback address of our choosing: another client, as the app sees it. */
  signIn.from = async (localAddress: string, password: string, email = PRIYA) => {
    const response = await fromAddress(localAddress, '/sign-in', replayHeaders, data(password, email));
    return { status: response.status, outcome: outcomeOf(response.status, !!response.headers['x-action-redirect'], response.body) };
  };
  return signIn;
}

/** ~12 KB: a first entry far longer than any address (it used to end up in a varchar(300) key), then a long list. */
const oversizedForwardedFor = () =>
  ['x'.repeat(4000), ...Array.from({ length: 600 }, (_, i) => `10.${i >> 8}.${i & 255}.1`)].join(', ');

test.describe('sign-in limit', () => {
  // Each test starts from no failures and leaves none behind, so the other tests can sign in.
  const forget = async () => void (await db()`delete from rate_limits where key like 'sign-in:%'`);
  test.beforeEach(forget);
  test.afterEach(forget);

  test('30 concurrent wrong guesses and the right password: at most the limit is evaluated', async ({ page, request }) => {
    const signIn = await captureSignIn(page);
    const burst = [...Array.from({ length: 30 }, (_, i) => `wrong-guess-${i}`), DEMO_PASSWORD];
    const outcomes = (await Promise.all(burst.map((password) => signIn(request, password)))).map((r) => r.outcome);

    for (const outcome of outcomes) expect(['wrong', 'limited', 'signed in']).toContain(outcome);
    // Every answer that is not "limited" ran the password check: no more than the limit may have.
    expect(outcomes.filter((o) => o !== 'limited').length).toBeLessThanOrEqual(LIMIT);
    expect(outcomes.filter((o) => o === 'limited').length).toBeGreaterThanOrEqual(30 + 1 - LIMIT);

    // While limited, the right password is refused as well.
    expect((await signIn(request, DEMO_PASSWORD)).outcome).toBe('limited');
  });

  test('successful sign-ins from one address are not counted against it', async ({ page, request }) => {
    const signIn = await captureSignIn(page);
    // More successes than the per-client limit (4 × 5 failures) allows failures.
    for (let i = 0; i < 4 * LIMIT + 2; i++) expect((await signIn(request, DEMO_PASSWORD)).outcome).toBe('signed in');
    expect((await signIn(request, 'still-wrong-password')).outcome).toBe('wrong');

    // The session records the address the request really came from, not one the client wrote into a header.
    expect((await signIn(request, DEMO_PASSWORD, { headers: { 'x-forwarded-for': '203.0.113.77' } })).outcome).toBe('signed in');
    const [latest] = await db()`select s.ip_address from session s join "user" u on u.id = s.user_id
      where u.email = ${PRIYA} order by s.created_at desc limit 1`;
    expect(latest.ip_address).toBe('127.0.0.1');
  });

  test("one client's wrong passwords for an account do not refuse its owner at another address", async ({ page }) => {
    const signIn = await captureSignIn(page);
    for (let i = 0; i < LIMIT; i++) expect((await signIn.from('127.0.0.2', `stranger-guess-${i}`)).outcome).toBe('wrong');
    // The stranger is refused for this account now…
    expect((await signIn.from('127.0.0.2', DEMO_PASSWORD)).outcome).toBe('limited');
    // …and the owner, at her own address, is not.
    expect((await signIn.from('127.0.0.3', DEMO_PASSWORD)).outcome).toBe('signed in');
  });

  test('a rotated or oversized X-Forwarded-For neither dodges the limit nor breaks the action', async ({ page, request }) => {
    const signIn = await captureSignIn(page);
    const huge = oversizedForwardedFor();
    expect((await signIn(request, 'wrong-huge-header', { headers: { 'x-forwarded-for': huge } })).outcome).toBe('wrong');
    // Each guess for another account and with another X-Forwarded-For: only the per-client limit (4 × 5) can stop
    // them, and it must, because no proxy is trusted and the header is not the client's address.
    const outcomes: string[] = [];
    for (let i = 0; i < 4 * LIMIT + 2; i++) {
      const guess = { headers: { 'x-forwarded-for': `198.51.100.${i}` }, email: `nobody-${i}@example.com` };
      outcomes.push((await signIn(request, `wrong-${i}`, guess)).outcome);
    }
    expect(outcomes.slice(0, 4 * LIMIT - 1).every((o) => o === 'wrong')).toBe(true);
    expect(outcomes.slice(4 * LIMIT - 1)).toEqual(['limited', 'limited', 'limited']);
  });
});

/** A request from a loopback address of our own choosing (Linux routes all of 127.0.0.0/8 to lo). */
function fromAddress(localAddress: string, path: string, headers: Record<string, string>, body: string | Buffer) {
  const url = new URL(path, process.env.BASE_URL ?? 'http://127.0.0.1:3000');
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = http.request(url, { method: 'POST', localAddress, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('an unsigned flood does not push a signed sender on the same address into 429', async () => {
  const address = `127.0.0.${10 + Math.floor(Math.random() * 200)}`;
  const body = JSON.stringify({ tags: [tags.categories], mode: 'max' });
  const statuses: number[] = [];
  for (let i = 0; i < 125; i++) {
    // Each with another X-Forwarded-For: no proxy is trusted, so the header must not give it a fresh budget.
    const forged = { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i % 250}` };
    statuses.push((await fromAddress(address, '/api/revalidate', forged, body)).status);
  }
  expect(statuses.slice(0, 120).every((s) => s === 401)).toBe(true);
  expect(statuses.slice(120).every((s) => s === 429)).toBe(true);

  const id = `msg_${randomUUID()}`;
  const signed = await fromAddress(address, '/api/revalidate', signDelivery(secret(), id, body), body);
  expect(signed.status, signed.body).toBe(200);
  expect(JSON.parse(signed.body)).toMatchObject({ id, duplicate: false });
});

test('an oversized X-Forwarded-For on the webhook is a clean 401, not a 500', async () => {
  const huge = oversizedForwardedFor();
  const response = await fromAddress('127.0.0.9', '/api/revalidate', { 'content-type': 'application/json', 'x-forwarded-for': huge }, '{}');
  expect(response.status).toBe(401);
  expect(JSON.parse(response.body).error).toMatch(/signature/);
});

/** A GET by hand, so the Host header is the one given (HTTP clients set their own). */
function getWith(path: string, headers: Record<string, string>) {
  const base = new URL(process.env.BASE_URL!);
  return new Promise<string>((resolve, reject) => {
    const request = http.request({ host: base.hostname, port: base.port, path, headers, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve(body));
    });
    request.on('error', reject);
    request.end();
  });
}

test('forged Host and forwarding headers leave every absolute link alone, in the render they caused too', async ({ request }) => {
  const [post] = await db()`select id, slug from posts where status = 'published' order by id desc limit 1`;
  const canonical = (html: string) => html.match(/<link rel="canonical" href="([^"]+)"/)?.[1];
  const site = new URL(canonical(await (await request.get(`/posts/${post.slug}`)).text())!).origin;
  // Expired, so the forged request is the one whose render gets cached.
  expect((await sendWebhook(request, { tags: [tags.post(post.id)], mode: 'expire' })).status()).toBe(200);
  const forged = await getWith(`/posts/${post.slug}`, {
    host: 'evil.example',
    'x-forwarded-host': 'evil.example',
    'x-forwarded-proto': 'https',
    forwarded: 'host=evil.example;proto=https',
  });
  for (const html of [forged, await (await request.get(`/posts/${post.slug}`)).text()]) {
    expect(new URL(canonical(html)!).origin).toBe(site);
    // The canonical link, the share image, the feed link: none names the forged host.
    expect(html).not.toContain('evil.example');
  }
});
