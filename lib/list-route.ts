import { PLACEHOLDER_PARAM } from './static-params';

/**
 * The category, author and topic pages live at `/<kind>/<slug>` (newest posts) and `/<kind>/<slug>/<cursor>`
 * (older pages). An optional catch-all gives both one route file; more than one segment is a 404.
 */
export function cursorFromSegments(segments: string[] | undefined): string | null | undefined {
  if (!segments || segments.length === 0) return null;
  return segments.length === 1 ? segments[0] : undefined;
}

/** Prerender each list's first page; older pages render on first request. */
export function listStaticParams(slugs: string[]) {
  return (slugs.length > 0 ? slugs : [PLACEHOLDER_PARAM]).map((slug) => ({ slug, cursor: [] as string[] }));
}
