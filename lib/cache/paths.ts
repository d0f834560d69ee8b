// The paths a webhook may name for revalidatePath: this app's own page URLs, checked like tags are (a path Next
// would never have cached is refused, since invalidating it would do nothing).
//
// How paths relate to tags: every page Next caches also carries an implicit tag for its URL (`_N_T_/posts/x`), and
// revalidatePath('/posts/x') expires that tag at once (it has no stale-while-revalidate form). The page's next request
// re-renders it, and every 'use cache' entry it reads is made afresh too (entries are checked against the implicit
// tags of the page that reads them). Other pages showing the same data keep their cached copy: a path names one URL,
// a tag names the data wherever it is shown. The app invalidates by tag; paths are for senders that think in URLs.
import { decodeCursor } from '@/db/queries/blog';
import { isSku, isSlug, SLUG_MAX_LENGTH } from '../slug';

/** Next keeps path tags of at most 256 characters (NEXT_CACHE_SOFT_TAG_MAX_LENGTH); every path below is shorter. */
export const MAX_PATH_LENGTH = 256;

/** Next's prefix for the implicit tag of a URL. */
const IMPLICIT_TAG_PREFIX = '_N_T_';

/** A segment check, with the placeholder it stands for in error messages. */
const segment = (placeholder: string, check: (value: string) => boolean) => ({ placeholder, check });
const cursor = segment('<cursor>', (value) => decodeCursor(value) !== null);
const slugOf = (kind: keyof typeof SLUG_MAX_LENGTH) => segment('<slug>', (value) => isSlug(value, SLUG_MAX_LENGTH[kind]));
const sku = segment('<sku>', (value) => isSku(value));

/** Each route: its literal first segment, then the accepted shapes of the rest (one check per segment). */
const routes: { first: string; rest: ReturnType<typeof segment>[][] }[] = [
  { first: 'archive', rest: [[cursor]] },
  { first: 'posts', rest: [[slugOf('post')]] },
  { first: 'categories', rest: [[slugOf('category')], [slugOf('category'), cursor]] },
  { first: 'authors', rest: [[slugOf('author')], [slugOf('author'), cursor]] },
  { first: 'topics', rest: [[slugOf('topic')], [slugOf('topic'), cursor]] },
  { first: 'catalog', rest: [[], [sku]] },
  { first: 'feed.xml', rest: [[]] },
  { first: 'sitemap.xml', rest: [[]] },
];

/** The accepted paths as people read them, made from the checks themselves, so the two never disagree. */
export const PATH_SHAPES = [
  '/',
  ...routes.flatMap(({ first, rest }) => rest.map((shape) => ['', first, ...shape.map((s) => s.placeholder)].join('/'))),
];

/** True for the URL of a page this app caches, spelled as the app links to it: no trailing slash, query or encoding. */
export function isAppPath(value: string): boolean {
  if (value === '/') return true;
  if (value.length > MAX_PATH_LENGTH || !value.startsWith('/')) return false;
  const [first, ...rest] = value.slice(1).split('/');
  return routes.some(
    (route) => route.first === first && route.rest.some((shape) => shape.length === rest.length && shape.every((s, i) => s.check(rest[i]))),
  );
}

/** The implicit tags revalidatePath(path) invalidates (`/` is also cached as `/index`). */
export function pathTags(path: string): string[] {
  const tag = `${IMPLICIT_TAG_PREFIX}${path}`;
  return path === '/' ? [tag, `${IMPLICIT_TAG_PREFIX}/index`] : [tag];
}
