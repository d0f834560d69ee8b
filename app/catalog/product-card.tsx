import { cacheLife } from 'next/cache';
import type { ReactNode } from 'react';
import { CacheStamp } from '@/app/_components/cache-stamp';
import { stampTags } from '@/lib/cache/tagged';
import { tags } from '@/lib/cache/tags';
import type { Product } from '@/db/schema';

/**
 * A product's page body as a cached component: `'use cache'` on the component itself, so its rendered output is one
 * entry, tagged like the product and kept as long as product data is ('navigation').
 *
 * Price and stock come in as `children`. A cached component passes its slots through without rendering them into
 * its entry (it must not read them), so they keep their own, shorter lifetime: an `inventory` invalidation makes a
 * new price while this entry stays as it is. The page wraps the slot in <Suspense>, so whenever the page is rendered
 * for a reader (a product's first visit) a slow inventory service holds up only the price, never the description.
 * Everything here is cached, so the page stays fully static (prerendered, edge-cacheable).
 */
export async function ProductCard({ product, children }: { product: Product; children: ReactNode }) {
  'use cache';
  cacheLife('navigation');
  const stamp = stampTags([tags.content, tags.product(product.sku), tags.products]);
  return (
    <div data-testid="product-card">
      <h1 className="mt-2 text-3xl font-bold tracking-tight">{product.name}</h1>
      <p className="mt-1 font-mono text-sm text-zinc-500">{product.sku}</p>
      <p className="mt-4 text-lg">{product.description}</p>
      <CacheStamp stamp={stamp} />
      <div className="mt-6 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">{children}</div>
    </div>
  );
}
