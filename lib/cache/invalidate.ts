import 'server-only';
import { revalidateTag, updateTag } from 'next/cache';
import { getTagStore } from '@/cache-handlers/tag-store.mjs';
import { getDb } from '@/db/client';
import {
  claimDelivery,
  markLanded,
  pruneRevalidations,
  recordRevalidation,
  setOutcome,
  type NewRevalidation,
} from '@/db/queries/revalidations';
import { getMetrics, type InvalidationSource } from '@/metrics/registry.mjs';
import type { TagPlan } from './invalidation-map';
import { tags, validateTags } from './tags';

/**
 * How a tag is invalidated:
 * - 'update': updateTag — the entry is expired and this Server Action's own response re-renders fresh
 *   (read-your-own-writes). Only valid inside a Server Action.
 * - 'max': revalidateTag(tag, 'max') — stale-while-revalidate: the next reader gets the old entry once while
 *   a fresh one is computed in the background.
 * - 'expire': revalidateTag(tag, { expire: 0 }) — the next reader waits for a fresh entry.
 */
export type InvalidationMode = 'update' | 'max' | 'expire';

/** What Next hands the cache handlers for each mode (`'max'` is the built-in profile's one-year expire). */
const DURATIONS: Record<InvalidationMode, { expire: number } | undefined> = {
  update: undefined,
  max: { expire: 31_536_000 },
  expire: { expire: 0 },
};

/** Where an invalidation stands: 'applied' everywhere, or 'pending' (this instance has it; Redis gets it when back). */
export type InvalidationStatus = 'applied' | 'pending';

/**
 * Invalidates `list` with Next's API, and records it in the shared tag store now.
 *
 * Next only queues the tags and hands them to the cache handlers after the response is produced; a failure there
 * is only logged. To tell a sender (or the revalidation log) that an invalidation is durable, the app also hands
 * it to the tag store itself before answering. The store recognises Next's later call as the same invalidation.
 */
export async function invalidate(list: readonly string[], mode: InvalidationMode, opId?: string): Promise<InvalidationStatus> {
  const valid = validateTags(list);
  if (valid.length === 0) return 'applied';
  for (const tag of valid) {
    if (mode === 'update') updateTag(tag);
    else if (mode === 'max') revalidateTag(tag, 'max');
    else revalidateTag(tag, { expire: 0 });
  }
  const { status } = await getTagStore().update(valid, DURATIONS[mode], { id: opId, expectNext: true });
  return status === 'applied' ? 'applied' : 'pending';
}

/** The prefix of the seed's delivery ids: its invalidations are counted apart in the metrics. */
export const SEED_DELIVERY_PREFIX = 'seed_';

export type WebhookOutcome = { duplicate: true } | { duplicate: false; status: InvalidationStatus };

/**
 * A webhook delivery: claimed in the revalidation log (pending), invalidated, then marked applied. A delivery id
 * seen before is a duplicate only if its invalidation was applied; one left pending or failed is acted on again,
 * so a sender's retry is never swallowed. Throws if the invalidation could not be recorded at all (the row says
 * 'failed'; the sender gets a 503 and retries).
 */
export async function invalidateAndRecord(entry: NewRevalidation & { deliveryId: string }): Promise<WebhookOutcome> {
  const db = getDb();
  const claim = await claimDelivery(db, entry);
  if (claim.duplicate) {
    // Logged too, as such, so the log shows every delivery the app received.
    await recordRevalidation(db, { ...entry, deliveryId: null, outcome: 'duplicate' });
    await refreshLog();
    return { duplicate: true };
  }
  // `npm run db:seed` signs its deliveries like any sender; its ids say it was the seed (scripts/seed.ts).
  const source = entry.deliveryId.startsWith(SEED_DELIVERY_PREFIX) ? 'seed' : 'webhook';
  const status = await applyAndLog(claim.id, entry.tags, entry.mode, source);
  return { duplicate: false, status };
}

/**
 * Runs a plan from lib/cache/invalidation-map.ts inside a Server Action (updateTag is only valid there) and
 * logs it. Call it after the change has committed: invalidating first would let a reader re-cache the old data.
 */
export async function invalidateForAction(plan: TagPlan, { actor, change }: { actor: string; change: string }) {
  const db = getDb();
  for (const [mode, list] of [['update', plan.update], ['max', plan.max]] as const) {
    if (list.length === 0) continue;
    const row = await recordRevalidation(db, { tags: list, mode, source: 'action', actor, change, outcome: 'pending' });
    await applyAndLog(row.id, list, mode, 'action');
  }
}

async function applyAndLog(rowId: number, list: string[], mode: InvalidationMode, source: InvalidationSource): Promise<InvalidationStatus> {
  const db = getDb();
  listenForLanded();
  // Counted when attempted: a failed one is in the webhook's 5xx count and the log's 'failed' rows too.
  const metrics = getMetrics();
  metrics.invalidations.inc({ source, mode });
  metrics.invalidatedTags.inc({ source, mode }, list.length);
  let status: InvalidationStatus;
  try {
    status = await invalidate(list, mode, revalidationOpId(rowId));
  } catch (error) {
    await setOutcome(db, rowId, 'failed');
    await refreshLog();
    throw error;
  }
  // 'pending' rows are marked applied by the listener below when Redis takes them.
  if (status === 'applied') await setOutcome(db, rowId, 'applied');
  await refreshLog();
  void pruneRevalidations(db).catch((error) => console.error('[revalidations] pruning failed:', error));
  return status;
}

/** The tag store's id for a log row's invalidation, so the row can be marked applied when it lands. */
const revalidationOpId = (rowId: number) => `revalidation:${rowId}`;

/**
 * Invalidations queued while Redis was away land later, possibly after a restart: mark their rows applied then.
 * Registered once per process, on the first invalidation or from instrumentation.ts at start.
 */
export function listenForLanded() {
  const registry = globalThis as unknown as { [key: symbol]: boolean };
  const key = Symbol.for('next-tagged-cache.landed-listener');
  if (registry[key]) return;
  registry[key] = true;
  getTagStore().onLanded((ids) => {
    const rowIds = ids.filter((id) => id.startsWith('revalidation:')).map((id) => Number(id.slice('revalidation:'.length)));
    if (rowIds.length === 0) return;
    markLanded(getDb(), rowIds)
      // Outside any request: the log's cache entry is expired through the store directly.
      .then(() => getTagStore().update([tags.revalidations], DURATIONS.expire))
      .catch((error) => console.error('[revalidations] could not mark landed invalidations:', error));
  });
}

/** The /cache page shows the log: after the new rows are committed, its next reader gets them. */
async function refreshLog() {
  await invalidate([tags.revalidations], 'expire');
}
