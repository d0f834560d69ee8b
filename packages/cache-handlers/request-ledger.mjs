// @ts-check
// What each request has already written to the tag store. Next hands a request's invalidations to the handlers
// after the app recorded them itself (the app's call is the one that says whether they are durable), hands them to
// both handler kinds, and in a Server Action twice (before the re-render and after it). Each request notes what it
// applied, so every one of those calls finds the invalidation written and writes it no second time.
// Next's server provides the AsyncLocalStorage its request record lives in; in any other process this does.
import 'next/dist/server/node-environment-baseline.js';
import { workAsyncStorage } from 'next/dist/server/app-render/work-async-storage.external.js';

/** @type {WeakMap<object, Set<string>>} */
const appliedBy = new WeakMap();

/** @param {string} tag @param {boolean} hard */
const entry = (tag, hard) => `${hard ? 'hard' : 'soft'}\0${tag}`;

/**
 * The request being served (Next's own record of it), or `fallback` outside any request.
 * @param {object} fallback
 */
const currentRequest = (fallback) => workAsyncStorage.getStore() ?? fallback;

/**
 * Notes `tags` as applied by the request being served; outside a request there is nothing to note.
 * @param {readonly string[]} tags
 * @param {boolean} hard expired now (updateTag, expire: 0), rather than stale ('max', a profile)
 */
export function noteApplied(tags, hard) {
  const request = workAsyncStorage.getStore();
  if (!request) return;
  const applied = appliedBy.get(request) ?? new Set();
  for (const tag of tags) applied.add(entry(tag, hard));
  appliedBy.set(request, applied);
}

/**
 * For a call from Next: the tags the request has not applied yet, now noted as applied. Outside a request the batch
 * itself stands for it (Next hands the same array to every handler kind).
 * @param {string[]} tags
 * @param {boolean} hard
 */
export function takeUnapplied(tags, hard) {
  const request = currentRequest(tags);
  const applied = appliedBy.get(request) ?? new Set();
  appliedBy.set(request, applied);
  return tags.filter((tag) => {
    if (applied.has(entry(tag, hard))) return false;
    applied.add(entry(tag, hard));
    return true;
  });
}
