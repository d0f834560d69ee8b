import type { Database } from '@/db/client';
import {
  consumeAttempts,
  currentCount,
  deleteExpiredRateLimits,
  refundAttempts,
  setMarker,
  takeTurn,
} from '@/db/queries/rate-limits';
import { clientLimitKey } from '@/lib/client-address';

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * A fixed-window counter per key, in this process's memory: for traffic that must not cost a database write
 * (unsigned webhook requests). Counting is synchronous, so it is atomic within the process; several instances
 * behind a load balancer each keep their own count.
 */
export function createRateLimiter({ limit, windowMs }: { limit: number; windowMs: number }) {
  const windows = new Map<string, { start: number; count: number }>();
  return function take(key: string, now = Date.now()): LimitResult {
    let w = windows.get(key);
    if (!w || now - w.start >= windowMs) {
      // Drop expired windows now and then so the map cannot grow without bound.
      if (windows.size > 10_000) for (const [k, v] of windows) if (now - v.start >= windowMs) windows.delete(k);
      w = { start: now, count: 0 };
      windows.set(key, w);
    }
    w.count += 1;
    return w.count <= limit ? { ok: true } : { ok: false, retryAfterSeconds: Math.ceil((w.start + windowMs - now) / 1000) };
  };
}

export interface DatabaseLimit {
  key: string;
  limit: number;
}

// Ended windows are deleted at most once a minute per process, by whichever request comes along: no timer to
// keep alive, and a quiet app has nothing to purge.
const PURGE_EVERY_MS = 60_000;
const purge = globalThis as unknown as { __ntcRateLimitPurgedAt?: number };

/**
 * Counts one attempt against every limit at once, in the database, and says whether all of them still allow it.
 * The count comes back from the same statement that made it (db/queries/rate-limits.ts), so a burst of concurrent
 * attempts cannot all pass: exactly `limit` of them are allowed per window, across restarts and instances.
 * An attempt refused by one limit still counts against the others (it was made).
 */
export async function consumeLimits(db: Database, limits: DatabaseLimit[], windowSeconds: number): Promise<LimitResult> {
  const now = Date.now();
  if (now - (purge.__ntcRateLimitPurgedAt ?? 0) >= PURGE_EVERY_MS) {
    purge.__ntcRateLimitPurgedAt = now;
    await deleteExpiredRateLimits(db);
  }
  const counted = await consumeAttempts(db, limits.map((l) => l.key), windowSeconds);
  const over = counted.filter((c, i) => c.count > limits[i].limit);
  if (over.length === 0) return { ok: true };
  const until = Math.max(...over.map((c) => c.expiresAt.getTime()));
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
}

/**
 * Sign-in limits, after OWASP's authentication cheat sheet: failures are counted per account, but a stranger must not
 * be able to spend the account's owner's budget (a lockout anyone can trigger is a denial of service). So:
 * - per (client, account) pair, a small limit (`SIGN_IN_RATE_LIMIT`, 5 per 5 minutes): one client guessing one
 *   account is refused, for that account only;
 * - per client, a moderate limit (4×): one client guessing many accounts is refused;
 * - per account, from everywhere, a much higher ceiling (20× per hour) past which the account is not locked but
 *   slowed: one password check per short delay (1 s, doubling every 10 further failures, at most 60 s), and a client
 *   that comes in between is told to try again in so many seconds. A client that has signed in to the account within
 *   the last 30 days skips the slowing, so the owner from a usual address is never held up by strangers' failures.
 * A client is an address, or an IPv6 /64 (clientLimitKey). Only failures count: a sign-in that succeeds gives its
 * attempt back to all three.
 */
export interface SignInLimitSettings {
  perPair: number;
  perClient: number;
  perAccount: number;
  /** The window of the pair and client limits. */
  windowSeconds: number;
  /** The window of the account ceiling. */
  accountWindowSeconds: number;
  /** The longest wait between two password checks of a slowed account. */
  maxDelaySeconds: number;
  /** How long a client that signed in to an account skips the account's slowing. */
  knownSeconds: number;
}

export function signInLimitSettings(env: Record<string, string | undefined> = process.env): SignInLimitSettings {
  const configured = Number(env.SIGN_IN_RATE_LIMIT);
  const perPair = Number.isInteger(configured) && configured > 0 ? configured : 5;
  return {
    perPair,
    perClient: 4 * perPair,
    perAccount: 20 * perPair,
    windowSeconds: 300,
    accountWindowSeconds: 3600,
    maxDelaySeconds: 60,
    knownSeconds: 30 * 24 * 3600,
  };
}

/** The wait between password checks of an account `excess` failures past its ceiling: 1 s, doubling every 10. */
export function slowedDelaySeconds(excess: number, maxDelaySeconds: number): number {
  return Math.min(maxDelaySeconds, 2 ** Math.floor(Math.max(0, excess - 1) / 10));
}

export type SignInAdmission =
  /** Check the password; then report a success (a failure needs nothing: it stays counted). */
  | { ok: true; succeeded: () => Promise<void> }
  /** `client`: this client's pair or client limit is spent. `account`: the account is being slowed down. */
  | { ok: false; limit: 'client' | 'account'; retryAfterSeconds: number };

/**
 * Decides whether a sign-in may check its password, counting the attempt first (in the same statement that reads the
 * count, so a concurrent burst gets exactly `limit` checks: see consumeLimits).
 */
export async function admitSignIn(
  db: Database,
  { address, email }: { address: string; email: string },
  settings: SignInLimitSettings = signInLimitSettings(),
): Promise<SignInAdmission> {
  const client = clientLimitKey(address);
  const account = `sign-in:account:${email}`;
  const known = `sign-in:known:${client}:${email}`;
  const local = [
    { key: `sign-in:pair:${client}:${email}`, limit: settings.perPair },
    { key: `sign-in:client:${client}`, limit: settings.perClient },
  ];
  // Refused here, the attempt is not counted against the account: a stranger past his own limit cannot push the
  // account towards its ceiling.
  const byClient = await consumeLimits(db, local, settings.windowSeconds);
  if (!byClient.ok) return { ok: false, limit: 'client', retryAfterSeconds: byClient.retryAfterSeconds };

  const [{ count }] = await consumeAttempts(db, [account], settings.accountWindowSeconds);
  const excess = count - settings.perAccount;
  // A client with no address of its own ('unknown') is never taken for a known one.
  if (excess > 0 && (client === 'unknown' || (await currentCount(db, known)) === 0)) {
    const delay = slowedDelaySeconds(excess, settings.maxDelaySeconds);
    const turn = await takeTurn(db, `sign-in:slowed:${email}`, delay, settings.maxDelaySeconds);
    if (!turn.granted) {
      // No password was checked: not a guess, so the client's own limits get it back. The account keeps it, so the
      // delay grows while the attack goes on.
      await refundAttempts(db, local.map((l) => l.key));
      return { ok: false, limit: 'account', retryAfterSeconds: Math.max(1, Math.ceil(turn.waitSeconds)) };
    }
  }
  return {
    ok: true,
    succeeded: async () => {
      await refundAttempts(db, [...local.map((l) => l.key), account]);
      if (client !== 'unknown') await setMarker(db, known, settings.knownSeconds);
    },
  };
}
