import 'server-only';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { headers } from 'next/headers';

// Forms without JavaScript: a Server Action's result, handed to the page render of the same request.
//
// React's useActionState works without JavaScript by design: the browser posts the form, the server runs the
// action and renders the page with the result ("form state"). Next 16.4 with Cache Components loses that result:
// for a form post it resumes the page's prerendered shell, and React's resume takes no form state, so the page
// comes back as if nothing had been sent (vercel/next.js PR #97784, open). Until that is fixed, the action keeps
// its result here for the render that follows it in the SAME request, and the page passes it to the form as its
// initial state. Nothing is sent to the browser or stored beyond that request.
//
// The two halves of one request are matched by an id that proxy.ts puts on the request. It is signed so that a
// client cannot choose it, and the store is small and short-lived so that results nobody reads cannot pile up.

export const REQUEST_ID_HEADER = 'x-ntc-request-id';
const MAX_ENTRIES = 100;
const TTL_MS = 30_000;

interface Entry {
  value: unknown;
  at: number;
}

const store: Map<string, Entry> = ((globalThis as Record<symbol, unknown>)[Symbol.for('ntc.formResults')] ??= new Map()) as Map<
  string,
  Entry
>;

function sign(id: string): string {
  const secret = process.env.BETTER_AUTH_SECRET;
  if (!secret) throw new Error('BETTER_AUTH_SECRET is not set');
  return createHmac('sha256', secret).update(id).digest('base64url');
}

/** For proxy.ts: a fresh signed id for this request. */
export function newRequestId(): string {
  const id = randomUUID();
  return `${id}.${sign(id)}`;
}

function verifiedId(value: string | null): string | null {
  if (!value) return null;
  const [id, mac] = value.split('.');
  if (!id || !mac) return null;
  const expected = Buffer.from(sign(id));
  const given = Buffer.from(mac);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
}

function sweep(now: number) {
  for (const [key, entry] of store) {
    if (now - entry.at > TTL_MS || store.size > MAX_ENTRIES) store.delete(key);
    else break; // insertion order: the rest are newer
  }
}

/**
 * In a Server Action: keep `value` for this request's page render, if the form was posted without JavaScript
 * (with JavaScript, React receives the action's return value itself and there is nothing to hand over).
 */
export async function keepFormResult(form: string, value: unknown): Promise<void> {
  const h = await headers();
  if (h.has('next-action')) return;
  const id = verifiedId(h.get(REQUEST_ID_HEADER));
  if (!id) return;
  const now = Date.now();
  store.set(`${id}:${form}`, { value, at: now });
  sweep(now);
}

/** In a page: the result an action of this same request kept for `form`, once. */
export async function takeFormResult<T>(form: string): Promise<T | undefined> {
  const id = verifiedId((await headers()).get(REQUEST_ID_HEADER));
  if (!id) return undefined;
  const key = `${id}:${form}`;
  const entry = store.get(key);
  store.delete(key);
  return entry && Date.now() - entry.at <= TTL_MS ? (entry.value as T) : undefined;
}
