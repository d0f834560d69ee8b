/**
 * Next.js 16 refuses an empty generateStaticParams result under Cache Components, but a fresh deployment
 * has no posts yet. A placeholder that matches nothing keeps the build working; it prerenders as a 404.
 */
export const PLACEHOLDER_PARAM = '__none__';

export function atLeastOne<T extends Record<string, string>>(params: T[], placeholder: T): T[] {
  return params.length > 0 ? params : [placeholder];
}
