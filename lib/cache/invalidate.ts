import 'server-only';
import { revalidatePath, revalidateTag, updateTag } from 'next/cache';
import { isInvalidationOutstanding, onInvalidationLanded, recordInvalidation } from '@next-tagged-cache/handlers';
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
import { pathTags } from './paths';
import { cacheLifeProfiles, type CacheLifeProfile } from './profiles';
import { validateTags } from './tags';

/**
 * How a tag is invalidated:
 * - 'update': updateTag — the entry is expired and this Server Action's own response re-renders fresh
 *   (read-your-own-writes). Only valid inside a Server Action.
 * - 'max': revalidateTag(tag, 'max') — stale-while-revalidate: the next reader gets the old entry once while
 *   a fresh one is computed in the background.
 * - 'expire': revalidateTag(tag, { expire: 0 }) — the next reader waits for a fresh entry.
 * - a cacheLife profile's name ('inventory', …): revalidateTag(tag, 'inventory') — stale now like 'max', and
 *   expired once that profile's `expire` has passed (10 minutes for 'inventory', a year for 'max'): an entry
 *   nobody read in that time is not served stale any more.
 */
export type InvalidationMode = 'update' | 'max' | 'expire' | CacheLifeProfile;

/** What Next hands the cache handlers for each mode (`'max'` is the built-in profile's one-year expire). */
function durationsOf(mode: InvalidationMode): { expire: number } | undefined {
  if (mode === 'update') return undefined;
  if (mode === 'max') return { expire: 31_536_000 };
  if (mode === 'expire') return { expire: 0 };
  return { expire: cacheLifeProfiles[mode].expire };
}

/** Where an invalidation stands: 'applied' everywhere, or 'pending' (this instance has it; Redis gets it when back). */
export type InvalidationStatus = 'applied' | 'pending';

/**
 * Invalidates `list` with Next's API, and records it in the shared tag store now.
 *
 * Next only queues the tags and hands them to the cache handlers after the response is produced; a failure there
 * is only logged. To tell a sender (or the revalidation log) that an invalidation is durable, the app records it
 * in the tag store itself before answering; Next's later calls for this request then find it written.
 */
export async function invalidate(list: readonly string[], mode: InvalidationMode, opId?: string): Promise<InvalidationStatus> {
  const valid = validateTags(list);
  if (valid.length === 0) return 'applied';
  for (const tag of valid) {
    if (mode === 'update') updateTag(tag);
    else if (mode === 'expire') revalidateTag(tag, { expire: 0 });
    else revalidateTag(tag, mode);
  }
  const { status } = await recordInvalidation(valid, durationsOf(mode), { id: opId });
  return status === 'applied' ? 'applied' : 'pending';
}

/**
 * revalidatePath for each of `paths` (checked by lib/cache/paths.ts), recorded in the tag store now like
 * `invalidate`: Next hands the handlers each path's implicit tags with no durations (expired now).
 */
export async function invalidatePaths(paths: readonly string[], opId?: string): Promise<InvalidationStatus> {
  if (paths.length === 0) return 'applied';
  for (const path of paths) revalidatePath(path);
  const { status } = await recordInvalidation(validateTags(paths.flatMap(pathTags)), undefined, { id: opId });
  return status === 'applied' ? 'applied' : 'pending';
}

/** The prefix of the seed's delivery ids: its invalidations are counted apart in the metrics. */
export const SEED_DELIVERY_PREFIX = 'seed_';

export type WebhookOutcome = { duplicate: true } | { duplicate: false; inFlight: true } | { duplicate: false; inFlight: false; status: InvalidationStatus };

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
    return { duplicate: true };
  }
  if (claim.inFlight) return claim;
  // `npm run db:seed` signs its deliveries like any sender; its ids say it was the seed (scripts/seed.ts).
  const source = entry.deliveryId.startsWith(SEED_DELIVERY_PREFIX) ? 'seed' : 'webhook';
  const status = await applyAndLog(claim.id, { tags: entry.tags, paths: entry.paths ?? [] }, entry.mode, source);
  return { duplicate: false, inFlight: false, status };
}

/**
 * Runs a plan from lib/cache/invalidation-map.ts inside a Server Action (updateTag is only valid there) and
 * logs it. Call it after the change has committed: invalidating first would let a reader re-cache the old data.
 */
export async function invalidateForAction(plan: TagPlan, { actor, change }: { actor: string; change: string }) {
  const db = getDb();
  const modes = ([['update', plan.update], ['max', plan.max]] as const).filter(([, list]) => list.length > 0);
  await Promise.all(
    modes.map(async ([mode, list]) => {
      const row = await recordRevalidation(db, { tags: list, mode, source: 'action', actor, change, outcome: 'pending' });
      await applyAndLog(row.id, { tags: list, paths: [] }, mode, 'action');
    }),
  );
}

async function applyAndLog(
  rowId: number,
  { tags: list, paths }: { tags: string[]; paths: string[] },
  mode: InvalidationMode,
  source: InvalidationSource,
): Promise<InvalidationStatus> {
  const db = getDb();
  listenForLanded();
  // Counted when attempted: a failed one is in the webhook's 5xx count and the log's 'failed' rows too.
  const metrics = getMetrics();
  for (const [count, countedMode] of [[list.length, mode], [paths.length, 'path']] as const) {
    if (count === 0) continue;
    metrics.invalidations.inc({ source, mode: countedMode });
    metrics.invalidatedTags.inc({ source, mode: countedMode }, count);
  }
  let status: InvalidationStatus;
  try {
    // Tags and paths are two invalidations in the tag store (their durations differ), for one row of the log.
    const results = await Promise.all([invalidate(list, mode, opIdsOf(rowId).tags), invalidatePaths(paths, opIdsOf(rowId).paths)]);
    status = results.every((result) => result === 'applied') ? 'applied' : 'pending';
  } catch (error) {
    await setOutcome(db, rowId, 'failed');
    throw error;
  }
  // 'pending' rows are marked applied by the listener below when Redis takes them.
  if (status === 'applied') await setOutcome(db, rowId, 'applied');
  void pruneRevalidations(db).catch((error) => console.error('[revalidations] pruning failed:', error));
  return status;
}

/** The tag store's ids for a log row's invalidations, so the row can be marked applied when they have landed. */
const opIdsOf = (rowId: number) => ({ tags: `revalidation:${rowId}`, paths: `revalidation:${rowId}:paths` });
const rowOfOpId = (id: string) => {
  const match = /^revalidation:(\d+)(?::paths)?$/.exec(id);
  return match ? Number(match[1]) : null;
};

/**
 * Invalidations queued while Redis was away land later, possibly after a restart: mark their rows applied then,
 * once every invalidation of the row has landed.
 * Registered once per process, on the first invalidation or from instrumentation.ts at start.
 */
export function listenForLanded() {
  const registry = globalThis as unknown as { [key: symbol]: boolean };
  const key = Symbol.for('next-tagged-cache.landed-listener');
  if (registry[key]) return;
  registry[key] = true;
  onInvalidationLanded((ids) => {
    const rowIds = [...new Set(ids.map(rowOfOpId).filter((row) => row !== null))].filter((row) => {
      const ops = opIdsOf(row);
      return !isInvalidationOutstanding(ops.tags) && !isInvalidationOutstanding(ops.paths);
    });
    if (rowIds.length === 0) return;
    markLanded(getDb(), rowIds).catch((error) => console.error('[revalidations] could not mark landed invalidations:', error));
  });
}

