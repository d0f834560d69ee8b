import Link from 'next/link';
import { Suspense } from 'react';
import type { Product } from '@/db/schema';
import { getProducts } from '@/lib/catalog';
import { getAllStock, type StockList, type StockResult } from '@/lib/inventory';
import { pageMetadata } from '@/lib/site';
import { CacheStamp } from '../_components/cache-stamp';
import { PriceAndStock } from './_components';

export const metadata = pageMetadata({
  path: '/catalog',
  title: 'Catalog',
  description: 'Products with descriptions from our database, and live price and stock from the inventory service.',
});

// No `ensureStatic` here, unlike the other public pages: while the inventory service cannot answer, the price list is
// rendered per request (below). With `ensureStatic = 'navigation'` the page answered 500 instead (measured).
export default async function CatalogPage() {
  const { data: products, stamp } = await getProducts();
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Catalog</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-300">Descriptions come from our database; price and stock from the inventory service.</p>
      {/* Prices come from fetch's cache (lib/inventory.ts, getAllStock): a cached response makes this part as static as
          the rest. A failed fetch caches nothing, so while the inventory service cannot answer this part is rendered
          per request, after the rest of the page has been sent, instead of failing the page. */}
      <Suspense fallback={<ProductGrid products={products} />}>
        <PricedProductGrid products={products} />
      </Suspense>
      <CacheStamp stamp={stamp} />
    </>
  );
}

async function PricedProductGrid({ products }: { products: Product[] }) {
  // The products in our database name the tags of the price list.
  const stock = await getAllStock(products.map((p) => p.sku));
  return (
    <>
      <ProductGrid products={products} stock={stock.data} />
      {stock.stamp && <CacheStamp stamp={stock.stamp} />}
    </>
  );
}

/** The products; without `stock`, a placeholder where each price goes. */
function ProductGrid({ products, stock }: { products: Product[]; stock?: StockList }) {
  return (
    <ul className="mt-6 grid gap-4 sm:grid-cols-2" data-testid="products">
      {products.map((p) => {
        const item = stock?.ok ? stock.stock.get(p.sku) : undefined;
        const data: StockResult | null = !stock ? null : item ? { ok: true, stock: item } : stock.ok ? { ok: false, reason: 'not-sold' } : stock;
        return (
          <li key={p.sku} className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
            <h2 className="font-semibold"><Link className="hover:underline" href={`/catalog/${p.sku}`}>{p.name}</Link></h2>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-300">{p.description}</p>
            <div className="mt-2">
              {data ? <PriceAndStock data={data} /> : <p className="text-zinc-500" data-testid="price-loading">Checking price and stock…</p>}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
