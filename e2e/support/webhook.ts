import { randomUUID } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { parseSecrets, signDelivery } from '../../lib/webhooks/secrets';

export function secret(): string {
  const [first] = parseSecrets(process.env.REVALIDATE_SECRET);
  if (!first) throw new Error('REVALIDATE_SECRET is not set: run the e2e suite through `npm test`');
  return first;
}

/** Sends a correctly signed delivery, as a CMS or the inventory service would. */
export async function sendWebhook(
  request: APIRequestContext,
  body: unknown,
  { id = `msg_${randomUUID()}`, key = secret(), at = new Date() }: { id?: string; key?: string; at?: Date } = {},
) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  // A Buffer, so the bytes go out exactly as signed (Playwright would otherwise validate or re-encode JSON).
  return request.post('/api/revalidate', { headers: signDelivery(key, id, raw, at), data: Buffer.from(raw) });
}
