// Price and stock come from the inventory service over HTTP (INVENTORY_API_URL), cached with tags: one product in a
// 'use cache' function (the app's way), the whole list in Next's fetch cache (shown once, see getAllStock). Under
// cacheComponents a bare fetch(…, { next: { tags } }) is not cached at all: it needs one or the other.
// The service sends a signed webhook with `product:<sku>` and `inventory` on every change (inventory/).
import { cacheLife } from 'next/cache';
import { z } from 'zod';
import { cacheLifeProfiles } from './cache/profiles';
import { tagged, type CacheStamp } from './cache/tagged';
import { tags, validateTags } from './cache/tags';

const stockSchema = z.object({
  sku: z.string(),
  priceCents: z.number().int().nonnegative(),
  currency: z.string().length(3),
  stock: z.number().int().nonnegative(),
  updatedAt: z.string(),
});
export type Stock = z.infer<typeof stockSchema>;
/**
 * What a reader is told: the product is not on sale, or its price could not be fetched. Why a fetch failed
 * (configuration, a timeout, a status) goes to the server log only: it means nothing to a reader and can reveal setup.
 */
export type Unavailable = { ok: false; reason: 'not-sold' | 'unreachable' };
export type StockResult = { ok: true; stock: Stock } | Unavailable;

const TIMEOUT_MS = Number(process.env.INVENTORY_TIMEOUT_MS ?? 2000);

/** A request to the inventory service; a slow upstream must not hold the page: give up after TIMEOUT_MS. */
function inventoryFetch(path: string, init: RequestInit) {
  const base = process.env.INVENTORY_API_URL;
  if (!base) throw new Error('INVENTORY_API_URL is not set');
  return fetch(new URL(path, base), { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
}

async function getJson(path: string): Promise<unknown> {
  // Inside 'use cache': the result is cached, not the response.
  const response = await inventoryFetch(path, { cache: 'no-store' });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`inventory service answered ${response.status}`);
  return response.json();
}

function describe(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS} ms`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A failure is cached too, but briefly: long enough that a down service is not hammered by every request,
 * short enough that the page recovers within seconds of the service coming back.
 */
function cacheFailureBriefly() {
  cacheLife({ stale: 30, revalidate: 10, expire: 600 });
}

export async function getStock(sku: string) {
  'use cache';
  cacheLife('inventory');
  let result: StockResult;
  try {
    const data = await getJson(`/products/${encodeURIComponent(sku)}`);
    result = data === null ? { ok: false, reason: 'not-sold' } : { ok: true, stock: stockSchema.parse(data) };
  } catch (error) {
    console.error(`[inventory] ${sku}: ${describe(error)}`);
    cacheFailureBriefly();
    result = { ok: false, reason: 'unreachable' };
  }
  return tagged(result, [tags.product(sku), tags.inventory]);
}

/**
 * Every product's price and stock for /catalog, through Next's fetch cache instead: `fetch` with
 * `cache: 'force-cache'` and `next: { tags }` stores the upstream response in the page layer (cacheHandler,
 * packages/cache-handlers/pages.mjs), and the same tags invalidate it. Shown once, beside getStock above, because the app
 * prefers 'use cache': it caches the result (parsed, validated, ready to render) of any async work, and gives each
 * outcome its own lifetime (a failure, briefly). The fetch cache holds one HTTP response, parsed again on every
 * render, and a failed fetch caches nothing: a prerender then cannot finish (measured: outside <Suspense> the page
 * answered 500 while the service was down), so the caller must put this inside <Suspense>, where it is rendered per
 * request until the service answers again, each request waiting for the timeout.
 * The tags must be known before the request: the products in our database (`skus`) name them.
 */
export type StockList = { ok: true; stock: Map<string, Stock> } | Unavailable;

export async function getAllStock(skus: readonly string[]): Promise<{ data: StockList; stamp: CacheStamp | null }> {
  const entryTags = validateTags([tags.inventory, ...skus.map(tags.product)]);
  try {
    const response = await inventoryFetch('/products', {
      cache: 'force-cache',
      next: { tags: entryTags, revalidate: cacheLifeProfiles.inventory.revalidate },
    });
    if (!response.ok) throw new Error(`inventory service answered ${response.status}`);
    const data = z.object({ products: z.array(stockSchema) }).parse(await response.json());
    // The stamp's time is the upstream response's Date header: a cached response keeps the time it was fetched.
    // (A render outside 'use cache' may not read the clock while it is being prerendered.)
    const date = response.headers.get('date');
    const stamp = date ? { cachedAt: new Date(date).toISOString(), tags: entryTags } : null;
    return { data: { ok: true, stock: new Map(data.products.map((p) => [p.sku, p])) }, stamp };
  } catch (error) {
    console.error(`[inventory] list: ${describe(error)}`);
    return { data: { ok: false, reason: 'unreachable' }, stamp: null };
  }
}

export function formatPrice(stock: Stock): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: stock.currency }).format(stock.priceCents / 100);
}
