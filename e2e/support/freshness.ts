import { expect, type APIRequestContext } from '@playwright/test';

/** How long a background refresh after 'max' may take before the fresh render must be served. */
export const REFRESH_BOUND_MS = 15_000;

/**
 * The exact stale-while-revalidate sequence after `revalidateTag(tag, 'max')`: the FIRST request gets the old
 * render (so this fails if 'max' behaved like expire), and a following one, polled within a bound, gets the new
 * render (so this fails if the refresh never happens). `load` makes one request and says whether it was fresh.
 */
export async function expectStaleThenFresh(load: () => Promise<boolean>, what: string) {
  expect(await load(), `${what}: the first request after 'max' must still get the old render`).toBe(false);
  await expect.poll(load, { message: `${what}: the fresh render never came`, timeout: REFRESH_BOUND_MS, intervals: [100, 250, 500] }).toBe(true);
  expect(await load(), `${what}: once fresh, it stays fresh`).toBe(true);
}

/**
 * After `'max'` when a browser is involved: the one stale serve may already have gone to a request the test did not
 * make (a prefetch of a linked page), so only "fresh within a bound, and then for good" can be required here.
 */
export async function expectFreshSoon(load: () => Promise<boolean>, what: string) {
  await expect.poll(load, { message: `${what}: the fresh render never came`, timeout: REFRESH_BOUND_MS, intervals: [100, 250, 500] }).toBe(true);
  expect(await load(), `${what}: once fresh, it stays fresh`).toBe(true);
}

/** After updateTag or `expire`: the very first request is fresh (so this fails if they behaved like 'max'). */
export async function expectFreshAtOnce(load: () => Promise<boolean>, what: string) {
  expect(await load(), `${what}: the first request after the invalidation must be fresh`).toBe(true);
}

/**
 * One request, read from the bytes the server answered (not from the DOM, which later client-side work could
 * change): whether a page was fresh on THAT request is a property of its response.
 */
export async function fetchPage(request: APIRequestContext, url: string) {
  const response = await request.get(url);
  expect(response.status(), url).toBe(200);
  return { html: await response.text(), cache: response.headers()['x-nextjs-cache'] };
}

/** How many elements show exactly `text` (React renders a lone text child as `>text<`; the feed's tags too). */
export const timesShown = (html: string, text: string) => html.split(`>${text}<`).length - 1;
