/** The shape of every slug the app makes or accepts: lowercase ASCII letters, digits and single hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** The shape of a product SKU (`MUG-001`): uppercase ASCII letters, digits and single hyphens. */
export const SKU_PATTERN = /^[A-Z0-9]+(?:-[A-Z0-9]+)*$/;

/** The longest slug each table holds (db/schema.ts); a longer one cannot name a row. */
export const SLUG_MAX_LENGTH = { post: 200, category: 100, author: 100, topic: 100 } as const;
export const MAX_SKU_LENGTH = 64;

export function isSlug(value: unknown, maxLength: number = SLUG_MAX_LENGTH.post): value is string {
  return typeof value === 'string' && value.length <= maxLength && SLUG_PATTERN.test(value);
}

export function isSku(value: unknown, maxLength = MAX_SKU_LENGTH): value is string {
  return typeof value === 'string' && value.length <= maxLength && SKU_PATTERN.test(value);
}

/** A URL slug from a title: lowercase ASCII letters, digits and single hyphens. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
}
