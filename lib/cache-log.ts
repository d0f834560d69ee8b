import { cacheLife } from 'next/cache';
import { getDb } from '@/db/client';
import { lastInvalidationPerTag, listRecentRevalidations } from '@/db/queries/revalidations';
import { tagged } from './cache/tagged';
import { tags } from './cache/tags';

/** The revalidation log for /cache: cached like everything else, and expired by every invalidation it records. */
export async function getRevalidationLog() {
  'use cache';
  cacheLife('navigation');
  const db = getDb();
  const [recent, perTag] = await Promise.all([listRecentRevalidations(db, 50), lastInvalidationPerTag(db)]);
  return tagged({ recent, perTag }, [tags.revalidations]);
}
