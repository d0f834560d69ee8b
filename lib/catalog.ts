// The catalog's own data (names, descriptions) from our database, cached and tagged like the blog.
import { cacheLife } from 'next/cache';
import { getDb } from '@/db/client';
import { getProductBySku, listProducts } from '@/db/queries/catalog';
import { tagged } from './cache/tagged';
import { tags } from './cache/tags';

export async function getProducts() {
  'use cache';
  cacheLife('navigation');
  return tagged(await listProducts(getDb()), [tags.products]);
}

export async function getProduct(sku: string) {
  'use cache';
  cacheLife('navigation');
  const product = await getProductBySku(getDb(), sku);
  return tagged(product, product ? [tags.product(sku), tags.products] : [tags.products]);
}
