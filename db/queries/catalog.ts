import { asc, eq } from 'drizzle-orm';
import type { Database } from '../client';
import { products } from '../schema';

export async function listProducts(db: Database) {
  return db.select().from(products).orderBy(asc(products.name));
}

export async function getProductBySku(db: Database, sku: string) {
  const [row] = await db.select().from(products).where(eq(products.sku, sku)).limit(1);
  return row ?? null;
}
