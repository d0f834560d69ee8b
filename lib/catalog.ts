// The catalog's own data (names, descriptions) from our database, cached and tagged like the blog.
import { cacheLife } from 'next/cache';
import { getDb } from '@/db/client';
import { getProductBySku, listProducts } from '@/db/queries/catalog';
import { tagged } from './cache/tagged';
import { tags } from './cache/tags';

export async function getProducts() {
  'use cache';
  cacheLife('navigation');
  const products = await listProducts(getDb());
  // Each product's own tag too: `product:<sku>` alone must refresh its name and description in this list.
  // The catalog is one page, so this allows about 125 products; beyond that it needs paging like the blog's lists.
  return tagged(products, [tags.content, tags.products, ...products.map((p) => tags.product(p.sku))]);
}

export async function getProduct(sku: string) {
  'use cache';
  cacheLife('navigation');
  const product = await getProductBySku(getDb(), sku);
  return tagged(product, product ? [tags.content, tags.product(sku), tags.products] : [tags.content, tags.products]);
}
