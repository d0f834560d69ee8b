import Link from 'next/link';
import { getProducts } from '@/lib/catalog';
import { getAllStock, type StockResult } from '@/lib/inventory';
import { pageMetadata } from '@/lib/site';
import { CacheStamp } from '../_components/cache-stamp';
import { PriceAndStock } from './_components';

export const metadata = pageMetadata({
  path: '/catalog',
  title: 'Catalog',
  description: 'Products with descriptions from our database, and live price and stock from the inventory service.',
});

export default async function CatalogPage() {
  const [{ data: products, stamp }, stock] = await Promise.all([getProducts(), getAllStock()]);
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Catalog</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-300">Descriptions come from our database; price and stock from the inventory service.</p>
      <ul className="mt-6 grid gap-4 sm:grid-cols-2" data-testid="products">
        {products.map((p) => {
          const item = stock.data.ok ? stock.data.stock.get(p.sku) : undefined;
          const data: StockResult = item ? { ok: true, stock: item } : stock.data.ok ? { ok: false, reason: 'not-sold' } : stock.data;
          const result = { stamp: stock.stamp, data };
          return (
            <li key={p.sku} className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
              <h2 className="font-semibold"><Link className="hover:underline" href={`/catalog/${p.sku}`}>{p.name}</Link></h2>
              <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-300">{p.description}</p>
              <div className="mt-2"><PriceAndStock result={result} /></div>
            </li>
          );
        })}
      </ul>
      <CacheStamp stamp={stamp} />
      <CacheStamp stamp={stock.stamp} />
    </>
  );
}
