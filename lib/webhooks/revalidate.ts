// POST /api/revalidate: a signed request from a CMS, the inventory service or an operator to invalidate tags.
// Contract (docs/webhooks.md): Standard Webhooks signature headers; JSON body
// { "tags"?: string[], "paths"?: string[], "mode"?: "max" | "expire" | "<cacheLife profile>" } with at least one tag or
// path. Every refusal is a 4xx with a JSON error and changes nothing.
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { z } from 'zod';
import { invalidateAndRecord } from '@/lib/cache/invalidate';
import { isAppPath, PATH_SHAPES } from '@/lib/cache/paths';
import { PROFILE_NAMES } from '@/lib/cache/profiles';
import { isKnownTag, MAX_TAG_LENGTH } from '@/lib/cache/tags';
import { readBody } from '@/lib/request-body';
import { getDb, isDatabaseUnavailable } from '@/db/client';
import { clientAddress, clientLimitKey } from '@/lib/client-address';
import { consumeLimits, createRateLimiter, type LimitResult } from '@/lib/rate-limit';
import { getMetrics } from '@/metrics/registry.mjs';
import { parseSecrets, WebhookConfigError } from './secrets';

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_TAGS_PER_DELIVERY = 64;

export const MAX_PATHS_PER_DELIVERY = 64;

const bodySchema = z
  .object({
    tags: z
      .array(
        z
          .string()
          .min(1, 'a tag must not be empty')
          .max(MAX_TAG_LENGTH, `a tag must be at most ${MAX_TAG_LENGTH} characters`)
          .refine(isKnownTag, { message: 'not a tag this app uses (see GET /cache for the vocabulary)' }),
      )
      .max(MAX_TAGS_PER_DELIVERY, `at most ${MAX_TAGS_PER_DELIVERY} tags per delivery`)
      .default([]),
    // revalidatePath: a page URL of this app, as it links to it (no trailing slash, no query).
    paths: z
      .array(z.string().refine(isAppPath, { message: `not a page of this app (one of ${PATH_SHAPES.join(', ')})` }))
      .max(MAX_PATHS_PER_DELIVERY, `at most ${MAX_PATHS_PER_DELIVERY} paths per delivery`)
      .default([]),
    // For tags: 'max' (stale-while-revalidate), 'expire' (now), or a cacheLife profile's name from next.config.ts.
    // Paths are always expired now: revalidatePath has no stale-while-revalidate form.
    mode: z.enum(['max', 'expire', ...PROFILE_NAMES]).default('max'),
  })
  .strict()
  .refine((body) => body.tags.length + body.paths.length > 0, { message: 'give at least one tag or path', path: ['tags'] });

// Two budgets per client and minute, so unsigned traffic cannot use up a signed sender's: requests that fail
// verification count in this process's memory (a flood must not cost a database write); verified deliveries count
// in the database (they write there anyway), so their limit holds across instances.
const PER_MINUTE = Number(process.env.REVALIDATE_RATE_LIMIT ?? 120);
const unverified = createRateLimiter({ limit: PER_MINUTE, windowMs: 60_000 });

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });
const refuse = (status: number, error: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>) =>
  json(status, { error, ...extra }, headers);

// Answers no client will read (it hung up): left out of ntc_webhook_responses_total, which counts answers.
const unanswered = new WeakSet<Response>();
const clientGone = () => {
  const response = refuse(400, 'the request body ended before it was complete');
  unanswered.add(response);
  return response;
};

const tooMany = (limited: Extract<LimitResult, { ok: false }>) =>
  refuse(429, 'too many requests', {}, { 'retry-after': String(limited.retryAfterSeconds) });

/**
 * Any configured secret may have signed it (rotation). The library compares in constant time and checks that the
 * timestamp is within 5 minutes of now, which bounds replays of a captured request.
 */
function verifySignature(raw: string, headers: Record<string, string>, secrets: string[]): 'ok' | 'bad-signature' | 'bad-timestamp' {
  let verification: 'bad-signature' | 'bad-timestamp' = 'bad-signature';
  for (const secret of secrets) {
    try {
      new Webhook(secret).verify(raw, headers, { jsonParse: false });
      return 'ok';
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      if (/timestamp/i.test(error.message)) verification = 'bad-timestamp';
    }
  }
  return verification;
}

async function handleDelivery(request: Request): Promise<Response> {
  const client = clientLimitKey(clientAddress(request.headers));
  // Every refusal up to and including a failed signature counts against the client's unverified budget; past it
  // the answer is 429, which tells a misconfigured sender to back off. Verified deliveries never touch this budget.
  const unauthorized = (status: number, error: string) => {
    const allowed = unverified(client);
    return allowed.ok ? refuse(status, error) : tooMany(allowed);
  };

  let secrets: string[];
  try {
    secrets = parseSecrets(process.env.REVALIDATE_SECRET);
  } catch (error) {
    if (!(error instanceof WebhookConfigError)) throw error;
    console.error(`[revalidate] ${error.message}`);
    return refuse(503, 'webhook endpoint is misconfigured on the server');
  }
  if (secrets.length === 0) return refuse(503, 'webhook endpoint is not configured (REVALIDATE_SECRET is unset)');

  // Cheap checks first: headers before reading the body, then at most 64 KiB and one HMAC per configured secret
  // (microseconds, no I/O). Only a verified delivery reaches the database.
  const headers = {
    'webhook-id': request.headers.get('webhook-id') ?? '',
    'webhook-timestamp': request.headers.get('webhook-timestamp') ?? '',
    'webhook-signature': request.headers.get('webhook-signature') ?? '',
  };
  const missing = Object.entries(headers).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length > 0) return unauthorized(401, `missing signature headers: ${missing.join(', ')}`);
  if (!/^\d{1,12}$/.test(headers['webhook-timestamp'])) return unauthorized(401, 'webhook-timestamp must be unix seconds');

  // A failure of the body stream is the client hanging up: no database is involved yet, and its codes (Node's
  // "aborted", ECONNRESET, EPIPE) must not reach isDatabaseUnavailable, which would take them for a lost connection.
  const body = await readBody(request, MAX_BODY_BYTES);
  if (!body.ok && body.reason === 'too-large') return unauthorized(413, `body larger than ${MAX_BODY_BYTES} bytes`);
  if (!body.ok) {
    unverified(client); // costs the client's unverified budget like any refusal before verification
    return clientGone();
  }
  const raw = body.bytes.toString('utf8');

  const verification = verifySignature(raw, headers, secrets);
  if (verification === 'bad-timestamp') return unauthorized(401, 'webhook-timestamp is outside the 5 minute tolerance');
  if (verification !== 'ok') return unauthorized(401, 'invalid signature');

  // A database failure here is answered by handleRevalidateWebhook below (JSON 503, retry).
  const verified = await consumeLimits(getDb(), [{ key: `webhook:${client}`, limit: PER_MINUTE }], 60);
  if (!verified.ok) return tooMany(verified);

  const deliveryId = headers['webhook-id'];
  if (deliveryId.length > 200) return refuse(400, 'webhook-id must be at most 200 characters');

  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(raw);
  } catch {
    return refuse(400, 'body is not valid JSON');
  }
  const parsed = bodySchema.safeParse(parsedJson);
  if (!parsed.success) {
    return refuse(400, 'invalid body', {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }

  const { tags, paths, mode } = parsed.data;
  const outcome = await invalidateAndRecord({ tags, paths, mode, source: 'webhook', actor: deliveryId, deliveryId });
  // A delivery whose invalidation was applied before is acknowledged, so the sender stops retrying, but not acted on twice.
  if (outcome.duplicate) return json(200, { id: deliveryId, duplicate: true, revalidated: [], paths: [], mode, status: 'applied' });
  // Another copy of this delivery is being acted on right now: acting on this one too would apply it twice.
  if (outcome.inFlight) return refuse(409, 'this delivery is being applied; retry later', {}, { 'retry-after': '1' });
  // 'pending': this instance has it and keeps retrying until every instance does (Redis away). 202 says so; a retry
  // of the same delivery is acted on again rather than called a duplicate, until it has been applied.
  const answer = { id: deliveryId, duplicate: false, revalidated: tags, paths, mode, status: outcome.status };
  return json(outcome.status === 'applied' ? 200 : 202, answer);
}

/**
 * Every answer is JSON, also when something below fails: a sender can always read why, and whether to retry.
 */
export async function handleRevalidateWebhook(request: Request): Promise<Response> {
  return counted(await answerDelivery(request));
}

/** Every answer counts in ntc_webhook_responses_total, by status. */
function counted(response: Response): Response {
  if (unanswered.has(response)) return response;
  getMetrics().webhookResponses.inc({ status: String(response.status) });
  return response;
}

async function answerDelivery(request: Request): Promise<Response> {
  try {
    return await handleDelivery(request);
  } catch (error) {
    // Nothing was confirmed: the sender retries the same delivery, which is then acted on again.
    if (isDatabaseUnavailable(error)) {
      console.error('[revalidate] database unavailable:', error instanceof Error ? error.message : error);
      return refuse(503, 'database unavailable, retry later', {}, { 'retry-after': '5' });
    }
    console.error('[revalidate] delivery failed:', error);
    return refuse(500, 'the invalidation could not be recorded; retry later');
  }
}

export function methodNotAllowed(): Response {
  return counted(refuse(405, 'use POST', {}, { allow: 'POST' }));
}
