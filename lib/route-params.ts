// Route parameters are checked against the shapes the app itself makes before they reach a query, a cache key
// or a cache tag. Anything else is a 404: a 300-character slug would make a tag over Next's 256-character limit
// (validateTags throws: a 500), and a NUL byte is refused by PostgreSQL in a text parameter (another 500).
import 'server-only';
import { notFound } from 'next/navigation';
import { decodeCursor } from '@/db/queries/blog';
import { isSku, isSlug, MAX_SKU_LENGTH, SLUG_MAX_LENGTH } from './slug';

export type SlugKind = keyof typeof SLUG_MAX_LENGTH;

/** The slug when it has the shape of one the app makes for `kind` (lib/slug.ts), else a 404. */
export function slugParam(value: string, kind: SlugKind): string {
  if (!isSlug(value, SLUG_MAX_LENGTH[kind])) notFound();
  return value;
}

/** A product SKU (`MUG-001`), else a 404. */
export function skuParam(value: string): string {
  if (!isSku(value, MAX_SKU_LENGTH)) notFound();
  return value;
}

/** A list cursor the app made (`<ms>-<id>`), else a 404; checked here so a forged one never becomes a cache key. */
export function cursorParam(value: string): string {
  if (!decodeCursor(value)) notFound();
  return value;
}
