// The sign-in action's limits against a real database, with the request's client address chosen per call: strangers'
// failures must not keep an author out (OWASP's authentication cheat sheet: a lockout is itself a denial of service),
// while a guesser is still held back by address, by (address, account) pair, and by the account's own ceiling.
// Only the request context (headers, redirect, the no-JS form result) and the password check are stood in for.
import { APIError } from 'better-auth/api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const RIGHT = 'the-right-password';
// Each attempt's headers live in its own async context, so concurrent attempts each keep their own address.
const request = await vi.hoisted(async () => {
  const { AsyncLocalStorage } = await import('node:async_hooks');
  return { context: new AsyncLocalStorage<Headers>(), checked: 0 };
});

vi.mock('next/headers', () => ({ headers: async () => request.context.getStore() ?? new Headers() }));
vi.mock('next/navigation', () => ({
  redirect: (url: string) => {
    throw Object.assign(new Error('NEXT_REDIRECT'), { redirectedTo: url });
  },
}));
vi.mock('@/lib/form-result', () => ({ keepFormResult: async () => {} }));
vi.mock('@/lib/auth', () => ({
  getAuth: () => ({
    api: {
      signInEmail: async ({ body }: { body: { email: string; password: string } }) => {
        request.checked += 1;
        if (body.password !== RIGHT) throw new APIError('UNAUTHORIZED', { message: 'Invalid email or password' });
        return { token: 't' };
      },
    },
  }),
}));

const { createDatabase, databaseUrl } = await import('@/db/client');
const { runMigrations } = await import('@/db/migrate');
const { signIn } = await import('@/lib/studio/auth-actions');
await import('@/lib/client-address');

const { sql } = createDatabase(databaseUrl(), { max: 2 });
beforeAll(() => runMigrations(databaseUrl()));
const forget = async () => void (await sql`delete from rate_limits where key like 'sign-in:%'`);
beforeEach(forget);
afterEach(forget);
afterAll(() => sql.end());

/** One sign-in from `address`, as the client-address subscriber would have stamped it (lib/client-address.ts). */
async function attempt(address: string, email: string, password: string): Promise<string> {
  const { token } = (globalThis as unknown as { __ntcClientAddress: { token: string } }).__ntcClientAddress;
  const headers = new Headers({ 'x-ntc-client-address': `${token} ${address}` });
  return request.context.run(headers, () => signInWith(email, password));
}

async function signInWith(email: string, password: string): Promise<string> {
  const form = new FormData();
  form.set('email', email);
  form.set('password', password);
  form.set('next', '/studio');
  try {
    const result = await signIn({ status: 'idle' }, form);
    return result.message ?? 'no error';
  } catch (error) {
    if ((error as { redirectedTo?: string }).redirectedTo) return 'signed in';
    throw error;
  }
}

const ADA = 'ada@example.com';
const WRONG = 'Wrong email or password.';

describe('sign-in limits', () => {
  it("five wrong passwords for Ada from one address do not refuse her right one from another", async () => {
    for (let i = 0; i < 5; i++) expect(await attempt('127.0.0.2', ADA, `wrong-${i}`)).toBe(WRONG);
    expect(await attempt('127.0.0.3', ADA, RIGHT)).toBe('signed in');
    // The stranger, though, is held back for Ada's account: the pair's limit is spent, right password or not.
    expect(await attempt('127.0.0.2', ADA, 'wrong-5')).toMatch(/^Too many failed sign-in attempts\. Try again in \d+ minutes?\.$/);
  });

  it('one address guessing many accounts is held back by its own limit (4 × 5), not the accounts', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 22; i++) outcomes.push(await attempt('127.0.0.4', `nobody-${i}@example.com`, 'wrong'));
    expect(outcomes.slice(0, 20).every((o) => o === WRONG)).toBe(true);
    expect(outcomes.slice(20).every((o) => /^Too many failed sign-in attempts/.test(o))).toBe(true);
    // Those accounts are open to everyone else.
    expect(await attempt('127.0.0.5', 'nobody-0@example.com', 'wrong')).toBe(WRONG);
  });

  it("many addresses guessing one account slow it down past a high ceiling, but never lock out an address it signed in from", async () => {
    // Ada signs in from her usual address first: it becomes one she is known at.
    expect(await attempt('10.1.0.1', ADA, RIGHT)).toBe('signed in');

    // A spread-out attack: 4 guesses (under the pair limit) from each of 25 addresses = the account's ceiling of 100.
    let checkedBefore = request.checked;
    for (let a = 0; a < 25; a++) for (let i = 0; i < 4; i++) expect(await attempt(`198.51.100.${a}`, ADA, `wrong-${a}-${i}`)).toBe(WRONG);
    expect(request.checked - checkedBefore).toBe(100);

    // Past the ceiling: a further address gets one password check, then is told to wait a few seconds (not minutes)…
    checkedBefore = request.checked;
    expect(await attempt('198.51.100.200', ADA, 'wrong-a')).toBe(WRONG);
    const slowed = await attempt('198.51.100.201', ADA, 'wrong-b');
    expect(slowed).toMatch(/^This account has had many failed sign-in attempts\. Try again in \d+ seconds?\.$/);
    expect(Number(/in (\d+) second/.exec(slowed)![1])).toBeLessThanOrEqual(60);
    expect(request.checked - checkedBefore).toBe(1); // the slowed attempt checked no password

    // …and the delay grows while the attack goes on.
    const waits: number[] = [];
    for (let i = 0; i < 40; i++) {
      const outcome = await attempt(`203.0.113.${i}`, ADA, `wrong-c-${i}`);
      const wait = /in (\d+) second/.exec(outcome);
      if (wait) waits.push(Number(wait[1]));
    }
    expect(waits.length).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBeGreaterThan(1);

    // Ada, from the address she signed in from before, is not slowed, let alone refused.
    expect(await attempt('10.1.0.1', ADA, RIGHT)).toBe('signed in');
    // The slowing is only for this account: Grace, guessed at from the same addresses, is untouched.
    expect(await attempt('198.51.100.201', 'grace@example.com', RIGHT)).toBe('signed in');
  });

  it('a concurrent burst against a slowed account gets one password check per turn', async () => {
    for (let a = 0; a < 25; a++) for (let i = 0; i < 4; i++) await attempt(`198.51.100.${a}`, ADA, `wrong-${a}-${i}`);
    const checkedBefore = request.checked;
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(`203.0.113.${100 + i}`, ADA, `burst-${i}`)));
    // One check per turn of (here) 1 s: a burst that took longer on a busy machine may have spanned a second turn.
    const turns = 1 + Math.floor((performance.now() - started) / 1000);
    const checked = request.checked - checkedBefore;
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(turns);
    expect(outcomes.filter((o) => o === WRONG)).toHaveLength(checked);
    expect(outcomes.filter((o) => /^This account has had many failed sign-in attempts\. Try again in \d+ seconds?\.$/.test(o))).toHaveLength(20 - checked);
  });

  it('a successful sign-in gives its attempt back to every limit', async () => {
    for (let i = 0; i < 30; i++) expect(await attempt('127.0.0.6', ADA, RIGHT)).toBe('signed in');
    for (let i = 0; i < 5; i++) expect(await attempt('127.0.0.6', ADA, `wrong-${i}`)).toBe(WRONG);
    expect(await attempt('127.0.0.6', ADA, RIGHT)).toMatch(/^Too many failed sign-in attempts/);
  });
});
