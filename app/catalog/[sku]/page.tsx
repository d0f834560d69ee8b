import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CacheStamp } from '@/app/_components/cache-stamp';
import { getProduct, getProducts } from '@/lib/catalog';
import { getStock } from '@/lib/inventory';
import { skuParam } from '@/lib/route-params';
import { NOT_FOUND_METADATA, pageMetadata } from '@/lib/site';
import { atLeastOne, PLACEHOLDER_PARAM } from '@/lib/static-params';
import { PriceAndStock } from '../_components';

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
  const [{ data: product, stamp }, stock] = await Promise.all([getProduct(sku), getStock(sku)]);
  if (!product) notFound();
  return (
    <article className="mx-auto max-w-2xl">
      <Link href="/catalog" className="text-sm hover:underline">← Catalog</Link>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">{product.name}</h1>
      <p className="mt-1 font-mono text-sm text-zinc-500">{product.sku}</p>
      <p className="mt-4 text-lg">{product.description}</p>
      <CacheStamp stamp={stamp} />
      <div className="mt-6 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
        <PriceAndStock result={stock} detailed />
      </div>
    </article>
  );
}
