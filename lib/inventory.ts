// Price and stock come from the inventory service over HTTP (INVENTORY_API_URL). Every call is inside a
// 'use cache' function with tags: under cacheComponents a bare fetch(…, { next: { tags } }) is not cached at all.
// The service sends a signed webhook with `product:<sku>` and `inventory` on every change (inventory/).
import { cacheLife } from 'next/cache';
import { z } from 'zod';
import { tagged } from './cache/tagged';
import { tags } from './cache/tags';

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

async function getJson(path: string): Promise<unknown> {
  const base = process.env.INVENTORY_API_URL;
  if (!base) throw new Error('INVENTORY_API_URL is not set');
  // A slow upstream must not hold the page: give up after TIMEOUT_MS and show "price unavailable".
  const response = await fetch(new URL(path, base), { signal: AbortSignal.timeout(TIMEOUT_MS), cache: 'no-store' });
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

export async function getAllStock() {
  'use cache';
  cacheLife('inventory');
  let result: { ok: true; stock: Map<string, Stock> } | Unavailable;
  try {
    const data = z.object({ products: z.array(stockSchema) }).parse(await getJson('/products'));
    result = { ok: true, stock: new Map(data.products.map((p) => [p.sku, p])) };
  } catch (error) {
    console.error(`[inventory] list: ${describe(error)}`);
    cacheFailureBriefly();
    result = { ok: false, reason: 'unreachable' };
  }
  // Each product's own tag too, so `product:<sku>` alone refreshes its price and stock on /catalog as well.
  return tagged(result, [tags.inventory, ...(result.ok ? [...result.stock.keys()].map(tags.product) : [])]);
}

export function formatPrice(stock: Stock): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: stock.currency }).format(stock.priceCents / 100);
}
