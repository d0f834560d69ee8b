import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { Suspense } from 'react';
import { getProduct, getProducts } from '@/lib/catalog';
import { getStock } from '@/lib/inventory';
import { skuParam } from '@/lib/route-params';
import { NOT_FOUND_METADATA, pageMetadata } from '@/lib/site';
import { atLeastOne, PLACEHOLDER_PARAM } from '@/lib/static-params';
import { PriceAndStock } from '../_components';
import { ProductCard } from '../product-card';

// Served from the cache, never rendered per request (Next's ensureStatic): a change that would render this page
// per request (request data, an uncached read, a too-short cacheLife) fails `next build`.
export const ensureStatic = 'navigation';

export async function generateStaticParams() {
  const { data } = await getProducts();
  return atLeastOne(data.map((p) => ({ sku: p.sku })), { sku: PLACEHOLDER_PARAM });
}

export async function generateMetadata({ params }: PageProps<'/catalog/[sku]'>): Promise<Metadata> {
  const { data } = await getProduct(skuParam((await params).sku));
  return data ? pageMetadata({ path: `/catalog/${data.sku}`, title: data.name, description: data.description }) : NOT_FOUND_METADATA;
}

export default async function ProductPage({ params }: PageProps<'/catalog/[sku]'>) {
  const sku = skuParam((await params).sku);
  const { data: product } = await getProduct(sku);
  if (!product) notFound();
  return (
    <article className="mx-auto max-w-2xl">
      <Link href="/catalog" className="text-sm hover:underline">← Catalog</Link>
      <ProductCard product={product}>
        <Suspense fallback={<p className="text-zinc-500" data-testid="price-loading">Checking price and stock…</p>}>
          <ProductStock sku={sku} />
        </Suspense>
      </ProductCard>
    </article>
  );
}

/** The card's slot: price and stock, cached on their own (lib/inventory.ts, getStock). */
async function ProductStock({ sku }: { sku: string }) {
  const { data, stamp } = await getStock(sku);
  return <PriceAndStock data={data} stamp={stamp} />;
}
