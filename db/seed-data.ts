import { slugify } from '../lib/slug';

// Deterministic demo content: the same seed always produces the same blog, so tests and screenshots are stable.

/** mulberry32: a tiny seeded PRNG. */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  return { next, int, pick };
}

export const seedAuthors = [
  { slug: 'ada-okafor', name: 'Ada Okafor', bio: 'Writes about databases, indexes and the queries that hide behind pages.' },
  { slug: 'mateo-rossi', name: 'Mateo Rossi', bio: 'Front-end engineer; cares about the first byte and the last pixel.' },
  { slug: 'priya-raman', name: 'Priya Raman', bio: 'Runs the platform team. Measures first, optimises second.' },
  { slug: 'lena-fischer', name: 'Lena Fischer', bio: 'Editor. Turns long incident notes into short, useful posts.' },
];

/** Demo sign-in accounts, one per author. For the local demo only: the password is public in the README. */
export const DEMO_PASSWORD = 'tagged-cache-demo';
export const seedUsers = seedAuthors.map((a) => ({
  id: `user-${a.slug.split('-')[0]}`,
  name: a.name,
  email: `${a.slug.split('-')[0]}@example.com`,
  role: a.slug === 'lena-fischer' ? ('editor' as const) : ('author' as const),
}));

export const seedCategories = [
  { slug: 'engineering', name: 'Engineering', description: 'How we build and ship the site.' },
  { slug: 'performance', name: 'Performance', description: 'Measurements, budgets and the occasional regression hunt.' },
  { slug: 'databases', name: 'Databases', description: 'PostgreSQL, schemas, migrations and query plans.' },
  { slug: 'design', name: 'Design', description: 'Typography, layout and the details readers notice.' },
  { slug: 'operations', name: 'Operations', description: 'Deploys, incidents and keeping things running.' },
  { slug: 'culture', name: 'Culture', description: 'How the team works together.' },
];

// SKUs match the inventory service's own seed (inventory/products.ts): it owns price and stock, we own the words.
export const seedProducts = [
  { sku: 'MUG-001', name: 'Stale-While-Revalidate Mug', description: 'Holds coffee while the fresh pot brews in the background. 350 ml, dishwasher safe.' },
  { sku: 'TEE-002', name: 'Cache Hit T-Shirt', description: 'Soft organic cotton tee printed with a 200 OK. Served in under a millisecond.' },
  { sku: 'HOOD-003', name: 'Invalidation Hoodie', description: 'Warm, heavy fleece for the hard problems in computer science.' },
  { sku: 'CAP-004', name: 'Edge Cap', description: 'A cap for the edge of the network. Adjustable strap, embroidered logo.' },
  { sku: 'STK-005', name: 'Tag Sticker Pack', description: 'Twelve vinyl stickers, one for each tag in the vocabulary.' },
  { sku: 'BOOK-006', name: 'Field Guide to Caching', description: 'A 180-page paperback on caches, tags and how to forget things on purpose.' },
  { sku: 'POSTER-007', name: 'Request Waterfall Poster', description: 'A2 print of a beautiful, entirely parallel request waterfall.' },
  { sku: 'BOTTLE-008', name: 'Cold Start Bottle', description: 'Insulated steel bottle that keeps drinks cold through the slowest cold start.' },
];

export const seedTopics = [
  'caching', 'react', 'postgres', 'typescript', 'accessibility', 'testing',
  'css', 'observability', 'security', 'deployment', 'http', 'webhooks',
].map((slug) => ({ slug, name: slug }));

const openers = [
  'What we learned', 'A field guide to', 'Notes on', 'The hidden cost of', 'Rethinking', 'Five lessons from',
  'A practical look at', 'Debugging', 'Measuring', 'Shipping', 'Why we stopped', 'Getting started with',
];
const subjects = [
  'tagged caching', 'stale-while-revalidate', 'keyset pagination', 'server actions', 'database migrations',
  'cache invalidation', 'prerendered pages', 'webhook retries', 'optimistic concurrency', 'dark mode',
  'connection pooling', 'RSS feeds', 'error budgets', 'partial prerendering', 'accessible forms', 'query plans',
];
const contexts = [
  'in production', 'at scale', 'on a small team', 'without the drama', 'the boring way', 'after the incident',
  'for readers', 'in Next.js 16', 'with PostgreSQL', 'on two cores',
];
const sentences = [
  'The first version worked, which is exactly why nobody looked at it again for a year.',
  'Every page read went to the database, and most of them asked the same question.',
  'We measured before changing anything, and the numbers surprised us.',
  'A cache is only as good as the thing that tells it to forget.',
  'The fix was small; finding it took most of a week.',
  'Readers never saw the problem, but our database certainly did.',
  'Naming things turned out to matter more than the code around them.',
  'We wrote the invalidation rules down in one place, and the bugs stopped arriving.',
  'Stale data for a second is fine; stale data forever is an outage.',
  'The slow path is the one nobody tests, so we made it the default in CI.',
  'It is tempting to add another layer; it is usually better to remove one.',
  'A good default beats a clever configuration option.',
  'The graph flattened the moment the tags matched what the pages actually showed.',
  'We kept the old URL working, because links live longer than code.',
];
const headings = ['Background', 'What we tried', 'What worked', 'Numbers', 'Trade-offs', 'What is next'];
const snippets = [
  "```ts\nexport async function getPost(slug: string) {\n  'use cache'\n  cacheTag(tags.post(slug))\n  return db.query.posts.findFirst({ where: eq(posts.slug, slug) })\n}\n```",
  '```sql\nselect id, title from posts\nwhere status = \'published\'\n  and (published_at, id) < ($1, $2)\norder by published_at desc, id desc\nlimit 12;\n```',
  '```bash\nnpm run webhook -- --tag posts --mode max\n```',
];

// The posts a reader sees first: the newest published ones (the whole first page of the home page) are short,
// real articles about this app, each naming the files that do what it describes. Keyed by post number (0 is the
// newest); the numbers skip 3 and 13, the drafts. Everything else about those posts (author, date, status) is what
// the generator gives them, so the seed keeps its shape; older posts and bulk seeding stay generated.
interface Article {
  title: string;
  excerpt: string;
  category: string;
  topics: string[];
  body: string;
}

/** Markdown from lines, so code spans and fences need no escaping in the source. */
const md = (...lines: string[]) => lines.join('\n');

const articles = new Map<number, Article>([
  [0, {
    title: 'How this page is cached and tagged',
    excerpt: 'The article you are reading is the result of one cached function call, carrying six kinds of tags. Here is the call, the tags, and the line at the bottom that shows them.',
    category: 'engineering',
    topics: ['caching', 'react'],
    body: md(
      "You are reading the output of one function call. The route `app/posts/[slug]/page.tsx` calls `getPost(slug)` from `lib/blog.ts`, and everything inside this article (the title, the excerpt, the author, the category, the topics and this body) comes from the value that call returns. `app/posts/[slug]/post-article.tsx` only lays it out.",
      '',
      '## The cached function',
      '',
      'This is `getPost`, without its comments:',
      '',
      '```ts',
      'export async function getPost(slug: string) {',
      "  'use cache';",
      "  cacheLife('posts');",
      '  const post = await q.getPublishedPostBySlug(getDb(), slug);',
      '  if (!post) return tagged(null, [tags.content, tags.postSlug(slug)]);',
      '  return tagged({ ...post, html: renderMarkdown(post.body) }, [',
      '    tags.content,',
      '    tags.postSlug(slug),',
      '    tags.post(post.id),',
      '    tags.author(post.author.id),',
      '    tags.category(post.category.slug),',
      '    ...post.topics.map((t) => tags.topic(t.slug)),',
      '  ]);',
      '}',
      '```',
      '',
      "`'use cache'` turns the function's return value into a cache entry, keyed by the function and its argument (and the build). `cacheLife('posts')` gives that entry the `posts` profile from `lib/cache/profiles.ts` (stale 300 s, revalidate 3,600 s, expire 86,400 s). The Markdown is rendered and sanitised (`lib/markdown.ts`) inside the function, so it happens once per cache entry, not once per request. The database query itself (`db/queries/blog.ts`) knows nothing about caching.",
      '',
      '## The tags',
      '',
      'Every tag comes from the builders in `lib/cache/tags.ts`, the only file that spells out a tag string, so a typo cannot create a tag that nothing ever invalidates:',
      '',
      '- `content`: every entry built from the database carries it; after replacing the content, `npm run db:seed` tells a running app to invalidate it.',
      '- `post-slug:<slug>`: the lookup by URL. A missing post is cached too, as `null` under this tag (and `content`), so publishing a post at that URL refreshes the cached 404.',
      '- `post:<id>`: this post, wherever it is shown.',
      '- `author:<id>`, `category:<slug>`, `topic:<slug>`: the names printed in the header of the article and in its list of topics. After a category is renamed, invalidating `category:<slug>` is enough for this page to show the new name.',
      '',
      "`tagged()` in `lib/cache/tagged.ts` validates the list (`validateTags` throws on a tag over 256 characters or on more than 128 tags, where Next.js would drop the extra ones with only a warning), calls `cacheTag`, and stamps the value with the time it was computed.",
      '',
      '## The line at the bottom',
      '',
      "Below this article, `cached … UTC · tags …` is `app/_components/cache-stamp.tsx` printing that stamp. The time is cached with the data: reload and it stays the same, because you got the cache entry. When one of the tags is invalidated, the next render computes a new entry and the time moves.",
      '',
      '## Built ahead of time',
      '',
      "`generateStaticParams` in the page asks `getPrerenderedPostSlugs()` for the 20 newest slugs, so `next build` prerenders those posts. Any other post is rendered on its first request and cached from then on. The page reads Draft Mode at its top, outside any `<Suspense>`, which keeps it static for readers; the preview article explains why.",
    ),
  }],
  [1, {
    title: 'What happens to the cache when an author saves',
    excerpt: 'One click in the studio writes a row, then invalidates two lists of tags in two different ways. Which tags, and why two ways, is decided in one small function.',
    category: 'engineering',
    topics: ['caching', 'react'],
    body: md(
      "The post editor in the studio (`/studio`) submits to the `savePost` Server Action in `lib/studio/actions.ts`. Every action in that file follows the order written at its top: verify the session, check permission, validate, mutate in a transaction, invalidate tags, return or redirect. The permission check runs on the server even though the UI only offers what is allowed, because a Server Action is a public endpoint that anyone can call.",
      '',
      '## Write first, invalidate after',
      '',
      "The update is guarded by a version number: `updatePost` in `db/queries/studio.ts` returns `null` when someone saved the post after this form was opened. Then nothing is written and the author gets a conflict that lists what the other person changed, with their own text kept in the form. Only after the transaction has committed does the action invalidate anything. The order matters: invalidating first would let a reader re-cache the old row in between (the comment on `invalidateForAction` in `lib/cache/invalidate.ts` says so).",
      '',
      '## One function decides the tags',
      '',
      "The action never picks tags itself. It takes a snapshot of the post before and after (id, slug, status, author, category, topics) and asks `postChangeTags` in `lib/cache/invalidation-map.ts`. Editing the title of published post 7, by author 2, in category `operations`, with topic `http`, gives:",
      '',
      '```ts',
      'postChangeTags(before, after)',
      '// {',
      "//   update: ['post-slug:hello', 'studio', 'studio:author:2'],",
      "//   max: ['post:7', 'posts', 'posts:category:operations', 'posts:author:2', 'posts:topic:http'],",
      '// }',
      '```',
      '',
      '- `update` holds what the author looks at next: the post page, through the slug tag of every URL the post had (after a slug change the old URL must 404 at once and the new one must resolve), and the studio lists.',
      '- `max` holds the public lists: home, archive and feed (`posts`), and the category, author and topic lists, for the old and the new version. It is empty when the post is a draft before and after the save: lists show published posts only.',
      "- `post:<id>` goes with the lists, because every list page that shows the post carries it. Sent with `updateTag`, it would expire all of those pages at once. The post's own page is already covered by its slug tag.",
      '',
      '## Two calls, two promises',
      '',
      "`invalidateForAction` writes one row in the revalidation log per list, then calls `updateTag(tag)` for the first list and `revalidateTag(tag, 'max')` for the second. `updateTag` is read-your-own-writes: the author sees the change on their very next load. `'max'` is stale-while-revalidate: one reader may still get the old home page while the new one renders in the background, which keeps list pages fast right after a publish.",
      '',
      "Next.js applies invalidations only after the response has been produced, and a failure at that point is only logged. So `invalidate()` (`lib/cache/invalidate.ts`) also records them with the package's `recordInvalidation` before the action answers, and the log row goes from `pending` to `applied`. Next's own later calls for the same request then find them written: each invalidation is written once. Save a post, then open `/cache`: the two rows of that save are shown side by side.",
      '',
      "Publishing and unpublishing from the studio list (`setPostStatus`) and deleting (`deletePost`) go through the same function; for a new post `before` is `null`, for a deleted one `after` is.",
    ),
  }],
  [2, {
    title: 'updateTag, max and expire: three ways to forget',
    excerpt: 'Next.js 16 gives three ways to invalidate a tag. They differ in who waits for the fresh content, and this app uses each one somewhere.',
    category: 'engineering',
    topics: ['caching'],
    body: md(
      'Every invalidation in this app goes through `invalidate()` in `lib/cache/invalidate.ts`, which turns a mode into a Next.js call:',
      '',
      '```ts',
      'for (const tag of valid) {',
      "  if (mode === 'update') updateTag(tag);",
      "  else if (mode === 'expire') revalidateTag(tag, { expire: 0 });",
      '  else revalidateTag(tag, mode);',
      '}',
      '```',
      '',
      "The last line covers `'max'` and the name of any `cacheLife` profile.",
      '',
      '## What each one does',
      '',
      "- `updateTag(tag)` expires the tag now. It is only allowed inside a Server Action, and that action's own response is already rendered fresh. The studio uses it for what the author looks at next.",
      "- `revalidateTag(tag, { expire: 0 })` also expires the tag now: the first request afterwards waits for fresh content. The webhook offers it as `\"mode\": \"expire\"`, and `npm run db:seed` uses it for `content`, because after a reseed stale pages would link to posts that no longer exist.",
      "- `revalidateTag(tag, 'max')` makes the tag stale now and expired a year from now (`durationsOf` in the same file hands the cache handlers `{ expire: 31_536_000 }`). The next reader gets the old entry, marked `x-nextjs-cache: STALE`, while a fresh one renders in the background. The studio uses it for public lists, and it is the webhook's default mode.",
      "- `revalidateTag(tag, '<profile>')` is stale now like `'max'`, and expired once that profile's `expire` has passed: an entry nobody read in that time is not served stale any more.",
      '',
      '## The rule underneath',
      '',
      "Next.js hands the cache handlers either no durations (`updateTag`, `revalidatePath`) or `{ expire }` (`revalidateTag`). `tagOp` in `packages/cache-handlers/tag-state.mjs` turns that into a state: expired now, or stale now and expired `expire` seconds later. An entry made before the stale time is served once more; an entry made before an expiry that has passed is a miss.",
      '',
      "\"Once\" is meant literally. `packages/cache-handlers/stale-once.mjs` lets only the first read of a stale entry use it, across every instance (a `SET NX` in Redis, or this process's memory without Redis); later reads wait for the fresh entry. Inside Next.js, requests that arrive on that instance while its background render is running are joined to that render and share its stale answer.",
      '',
      '## Picking one',
      '',
      "Use `updateTag` when the person who made the change is about to look at it, `'max'` when nobody in particular is waiting for that page and it is read often, and `expire` when an old page would be wrong rather than just late. `packages/cache-handlers/README.md` has the same rules as a table, and `/cache` shows the state of every tag after each call.",
    ),
  }],
  [4, {
    title: 'The signed webhook at /api/revalidate',
    excerpt: 'How a CMS, the inventory service or a shell script tells the app to forget something: Standard Webhooks signatures, a small JSON body, and answers a sender can act on.',
    category: 'operations',
    topics: ['webhooks', 'security', 'http'],
    body: md(
      "Not every change goes through the studio. The inventory service, the seed script and anything else that changes data behind the app's back send a signed `POST /api/revalidate`. `app/api/revalidate/route.ts` only routes it; the handler is `lib/webhooks/revalidate.ts`, and the contract is written down in `docs/webhooks.md`.",
      '',
      '## The request',
      '',
      'The body names tags, page paths, or both:',
      '',
      '```json',
      '{ "tags": ["post:12", "posts"], "paths": ["/posts/hello-world"], "mode": "max" }',
      '```',
      '',
      "Tags must be ones the app produces: each is checked with `isKnownTag` against the vocabulary in `lib/cache/tags.ts`, at most 64 per delivery, because invalidating a tag nobody uses would do nothing and hide a mistake. Paths are checked by `lib/cache/paths.ts` and always expire at once (`revalidatePath` has no stale-while-revalidate form). `mode` applies to the tags: `max` (the default), `expire`, or the name of a `cacheLife` profile from `lib/cache/profiles.ts`.",
      '',
      '## Checks, cheapest first',
      '',
      "The handler refuses as early and as cheaply as it can: 503 if `REVALIDATE_SECRET` is unset or malformed, 401 without the `webhook-id`, `webhook-timestamp` and `webhook-signature` headers, 413 for a body over 64 KiB, then one HMAC check per configured secret (several comma-separated secrets are accepted, for rotation), with a timestamp that must be within 5 minutes of the server's clock. Only a verified delivery reaches the database. Refused and verified requests are counted against separate per-minute budgets (`REVALIDATE_RATE_LIMIT`, 120 by default), so an unsigned flood cannot use up a real sender's budget.",
      '',
      '## Exactly once per delivery',
      '',
      "`invalidateAndRecord` in `lib/cache/invalidate.ts` first claims the delivery id in the revalidation log. An id that was already applied is answered `200` with `\"duplicate\": true` and not acted on again. A copy that arrives while another copy is being applied gets `409` with `retry-after: 1`. One that failed, or has been pending for 30 s, is acted on again, so a sender's retry is never swallowed. The answer is `200 {\"status\": \"applied\"}` once every instance can see the invalidation, or `202 {\"status\": \"pending\"}` when Redis is away and this instance is still pushing it there.",
      '',
      '## Sending one',
      '',
      'While the demo runs:',
      '',
      '```bash',
      'npm run webhook -- --tag post:12 --tag posts --mode expire',
      '```',
      '',
      '`scripts/webhook.ts` signs the delivery with the local secret. `docs/webhooks.md` also shows how to sign one with `openssl` and `curl`, and lists every status code with its meaning. Each delivery then appears on `/cache`.',
    ),
  }],
  [5, {
    title: 'The edge cache that the app purges by tag',
    excerpt: 'A CDN that keeps pages by s-maxage never hears of revalidateTag. The Varnish edge in deploy/varnish/ does: the app purges it with the same tags it invalidates in itself.',
    category: 'performance',
    topics: ['caching', 'http', 'deployment'],
    body: md(
      "A cache hit in Next.js still costs a trip through Next.js. And Next.js answers public pages with `Cache-Control: s-maxage=…, stale-while-revalidate=…`, which any proxy in front may keep without ever hearing of `revalidateTag`: the site goes stale behind it. This app's edge is a Varnish configuration, `deploy/varnish/edge.vcl.template`, that the app purges with the same invalidations it applies to itself. `deploy/README.md` describes it in full; `npm run demo -- --edge` runs it (it needs `varnish` and `varnish-modules`).",
      '',
      '## Tags travel in a header',
      '',
      "`next start` removes its own `x-next-cache-tags` from responses, so the page handler `packages/cache-handlers/pages.mjs` adds every page and route entry's tags as `x-ntc-cache-tags`. The VCL copies them into `xkey`, the index of the xkey vmod, and strips the header before the response leaves the edge. A page that names no tags is not kept (build assets under `/_next/static/` aside): nothing could ever purge it.",
      '',
      '## Purges',
      '',
      "`packages/cache-handlers/edge.mjs` listens to the tag store's invalidations and sends each one as a `PURGE` with a shared secret (`EDGE_PURGE_SECRET`), the kind, and the tags. The edge accepts it only from loopback with that secret, and answers `200 Purged <n>`:",
      '',
      '```vcl',
      'if (req.http.x-edge-purge == "hard") {',
      '  set req.http.x-purged = xkey.purge(req.http.x-edge-tags);',
      '} elsif (req.http.x-edge-purge == "soft") {',
      '  set req.http.x-purged = xkey.softpurge(req.http.x-edge-tags);',
      '}',
      '```',
      '',
      "`updateTag`, `expire` and paths become a hard purge: the next request goes to the app. `'max'` and profiles become a soft purge: the edge serves its copy once more and fetches the page again in the background. That background fetch carries Next.js's on-demand revalidation header (`x-prerender-revalidate`), so the app renders fresh instead of handing back its own stale copy.",
      '',
      '## Waiting, but not forever',
      '',
      'While the edge answers, the tag store waits for one purge attempt (at most 1 s) before an invalidation returns, so when a Server Action or a webhook answers, the edge already has it. When the edge is away, nobody waits: the invalidation is reported pending, and the purge is retried with backoff (250 ms doubling to 5 s) and kept in `CACHE_DIR/edge-purges.jsonl` so that a restart does not lose it.',
      '',
      '## What it keeps',
      '',
      "The TTL comes from `s-maxage` and the grace period from `stale-while-revalidate`, so `cacheLife` reaches the edge through the app's own `Cache-Control`. POSTs (Server Actions among them), `/studio`, `/sign-in` and `/api/*` pass uncached. The cache key is the path, plus the `_rsc` parameter for RSC requests; other query parameters and the `Host` header are dropped, so invented variants of a URL all get one copy. Responses say `x-edge-cache: HIT`, `STALE`, `MISS` or `PASS`.",
    ),
  }],
  [6, {
    title: 'Reading the cache inspector at /cache',
    excerpt: 'One public page shows what the cache holds and does: counters, the state of every tag, and each invalidation with the call that made it.',
    category: 'operations',
    topics: ['caching', 'observability'],
    body: md(
      'Open [the cache inspector](/cache) in another tab while you read this. The page is `app/cache/page.tsx`; what it shows is read by `lib/cache-inspector/inspect.ts` and drawn by the three components in `app/cache/_components/`. `docs/seeing-the-cache.md` describes it.',
      '',
      '## Counters',
      '',
      'The counters of this instance since it started, the same numbers as `/api/metrics`: hits, stale hits, misses and sets of each cache handler by layer (memory, or Redis or files behind it), invalidations by source and call, webhook answers by status, edge purges. With several instances, each shows only its own.',
      '',
      '## Tags',
      '',
      'Every pattern of the vocabulary in `lib/cache/tags.ts`, with the cached functions and pages that carry it (`lib/cache-inspector/carriers.ts`), its state in the tag store, and its last invalidation. The states are the ones both cache handlers decide by:',
      '',
      '- fresh: never invalidated;',
      "- stale since T: entries made before T are served once more while a fresh one is made (after `'max'` or a profile);",
      '- expired since T: entries made before T are never served again (after `updateTag` or `expire`).',
      '',
      '## Invalidations',
      '',
      "The revalidation log as a timeline: one line per change, the rows of one studio save side by side (`updateTag` for what its author sees next, `'max'` for the lists), webhook deliveries with their paths, and the outcome when it is not \"applied\" (pending while Redis or the edge is away, failed, duplicate).",
      '',
      '## Live, but not cached',
      '',
      "The live part is a component that awaits `connection()` inside `<Suspense>`, so it is read on every request and never shows a cached state of the cache. **Refresh** calls the `refreshInspector` Server Action (`lib/cache-inspector/actions.ts`), which only calls `refresh()`: the page's uncached part renders again in place, and no cache entry or tag is touched. The log itself is a cached entry tagged `revalidations`, which every invalidation expires.",
      '',
      "The page is public, so it never names a draft: `lib/cache-inspector/public-tags.ts` shows a `post-slug:<slug>` tag only when that slug belongs to a published post, and `post-slug:(not published)` otherwise.",
      '',
      '## The overlay',
      '',
      'For a single page, "Show cache overlay" in the footer (`app/_components/cache-overlay.tsx`) outlines every cached region with its tags and age. It is drawn in the browser from the stamps the server already sends, and the setting lives in `localStorage`, so the page\'s HTML and caching are the same with it on or off.',
    ),
  }],
  [7, {
    title: 'One cache shared by every instance',
    excerpt: 'Out of the box, Next.js keeps invalidations in process memory. The handlers in packages/cache-handlers/ keep them in a journal and in Redis, so a restart or a second instance sees them too.',
    category: 'operations',
    topics: ['caching', 'deployment'],
    body: md(
      "By default Next.js keeps tag state, the record of what was invalidated, in process memory. A restart forgets it while prerendered pages stay on disk, so an `expire` that was answered 200 can be followed by the old page after a restart, and a second instance never hears of it at all. `packages/cache-handlers/README.md` explains how this app replaces both of Next.js's cache layers to fix that.",
      '',
      '## The wiring',
      '',
      'In `next.config.ts`:',
      '',
      '```ts',
      'cacheComponents: true,',
      'cacheLife: cacheLifeProfiles,',
      'cacheHandlers: {',
      "  default: require.resolve('@next-tagged-cache/handlers/use-cache'),",
      "  remote: require.resolve('@next-tagged-cache/handlers/use-cache'),",
      '},',
      "cacheHandler: require.resolve('@next-tagged-cache/handlers/pages'),",
      'cacheMaxMemorySize: 0,',
      "serverExternalPackages: ['@next-tagged-cache/handlers'],",
      '```',
      '',
      "`cacheHandlers` serve `'use cache'` entries; `cacheHandler` serves pages, route handlers such as `feed.xml`, and the fetch cache. `cacheMaxMemorySize: 0` turns off Next.js's own in-memory layer, which would keep serving what another instance has invalidated. The handlers are a package of this repository (`packages/cache-handlers/`, with its own README and tests), plain JavaScript with JSDoc types, because Next.js loads them with Node at run time, outside its bundler.",
      '',
      '## Tag state',
      '',
      "`packages/cache-handlers/tag-store.mjs` holds every tag's state in this process; `tag-journal.mjs` writes each invalidation to a journal file in `CACHE_DIR` before the invalidation is reported recorded (so a restart never brings stale content back), and with `REDIS_URL` `tag-sync.mjs` keeps it in a Redis hash plus a stream of invalidations. Before a request's first cache read, an instance reads the invalidations it has not seen yet from that stream, in one round trip (`refreshTags` in `packages/cache-handlers/use-cache.mjs`, and the page handler's `get`). An invalidation made on any instance is seen by every other before its next response.",
      '',
      '## Entries',
      '',
      '`packages/cache-handlers/entry-store.mjs` keeps an in-process LRU (`CACHE_MEMORY_MB`, 64 by default) in front of Redis, or of files when there is no Redis. A restarted or new instance serves what Redis already holds instead of rendering everything again.',
      '',
      '## When Redis is away',
      '',
      'Every instance keeps serving from its own memory and files and never answers 500 because of it. A command waits at most 500 ms. Invalidations made meanwhile are applied on this instance, journaled, reported `pending` (a webhook gets `202`), and pushed to Redis when it is back; the revalidation log on `/cache` then marks them applied.',
      '',
      '## Trying it',
      '',
      '`npm run cluster` (`scripts/cluster.ts`) starts two instances, each with its own copy of one build, behind nginx on port 3000; every response names the instance that answered in `x-upstream`. Edit a post in the studio and load it a few times: both instances show the change, though only one of them ran the Server Action.',
    ),
  }],
  [8, {
    title: 'Previewing a post without touching the cache',
    excerpt: 'Preview shows unsaved edits at the post’s public URL. Draft Mode keeps that render out of every cache, and a check on each render decides who may see it.',
    category: 'engineering',
    topics: ['react', 'security'],
    body: md(
      "**Preview** in the studio's editor opens the post at its public URL, `/posts/<slug>`, showing the form as it is now, unsaved edits included, under a bar that says so. `docs/preview.md` describes it; the code is `lib/studio/preview.ts`, routed by `app/api/preview/`, and shown by `app/posts/[slug]/page.tsx`, which puts the bar above the post.",
      '',
      '## Starting a preview',
      '',
      "The button posts the form to `POST /api/preview`; nothing is saved. `startPreview` checks the session and the studio's permission rule (`canEditPost`: authors their own posts, editors all), validates the fields as a save would, and stores them in the `post_previews` table for that user and post for 10 minutes (`PREVIEW_TTL_MS`). The text is never put in a cookie or a URL, and because it is in the database, any instance can render it. Then it turns on Draft Mode and redirects to the post.",
      '',
      '## Why Draft Mode alone is not enough',
      '',
      "Draft Mode's cookie, `__prerender_bypass`, has one value per build, the same for everyone who has it. So it is no permission by itself: every preview render checks the session, the permission and the stored preview's expiry again. Anyone else in Draft Mode sees what readers see, and a draft they may not preview is a 404, as it is for readers.",
      '',
      '## Why it bypasses the cache',
      '',
      "A preview is one person's unsaved text. It must never be stored where a reader could be served it, and it must not refresh what readers get. In Draft Mode every `'use cache'` function runs afresh without saving its result, and the page is kept out of the page cache and sent `Cache-Control: private, no-cache, no-store`. The cached page at that URL, its stamp and its `x-nextjs-cache: HIT` stay as they were for everyone else, and the edge never keeps a preview.",
      '',
      '## Why the page stays static',
      '',
      'The page reads Draft Mode at its top, with no `<Suspense>` around it. In outline:',
      '',
      '```tsx',
      'const preview = await getPostPreview(slug);',
      "if (preview?.kind === 'preview') {",
      '  return (/* the preview bar and the unsaved post, not cached */);',
      '}',
      'const { data: post, stamp } = await getPost(slug);',
      '```',
      '',
      'While prerendering, Draft Mode is always off and reading it is not request data, so `next build` still prerenders the page and readers get it from the cache. A Draft Mode request skips the prerendered page and renders all of it for that request, which is also why a refused draft is a real 404 and not a 200 with "not found" inside.',
      '',
      "**Leave preview** posts to `/api/preview/exit`: Draft Mode is switched off, the user's stored previews are deleted, and the URL shows the cached page again.",
    ),
  }],
  [9, {
    title: 'The catalog: our words, their prices',
    excerpt: 'Product pages mix descriptions from our database with price and stock from another service. Each part has its own tags and lifetime, and the service says when its part changed.',
    category: 'engineering',
    topics: ['webhooks', 'caching'],
    body: md(
      "`/catalog` and `/catalog/<sku>` show two kinds of data with different owners. Names and descriptions come from our database (`products`, tagged `products` and `product:<sku>`). Price and stock come from the inventory service over HTTP, tagged `inventory` and `product:<sku>` (`lib/inventory.ts`). `docs/catalog.md` describes both.",
      '',
      '## A cached component with an uncached slot',
      '',
      "A product page's body is `ProductCard` in `app/catalog/product-card.tsx`, a component with `'use cache'` and `cacheLife('navigation')`. It takes the price as `children`. A cached component passes its slots through without rendering them into its own entry, so an `inventory` invalidation produces a new price while the card's entry stays as it is. The page wraps the slot in `<Suspense>`, so a slow inventory service holds up only the price, never the description.",
      '',
      '## Two ways to cache the upstream',
      '',
      "One product's price is read by `getStock`, a `'use cache'` function with `cacheLife('inventory')` (stale 30 s, revalidate 60 s, expire 600 s). The whole list for `/catalog` goes through Next.js's fetch cache instead (`getAllStock`: `fetch` with `cache: 'force-cache'` and `next: { tags }`). It is there to show the difference: `'use cache'` caches the parsed, validated result and can give each outcome its own lifetime, while the fetch cache holds one HTTP response and caches nothing when the fetch fails.",
      '',
      "A failure is cached too, but briefly: when the service answers with an error or not within `INVENTORY_TIMEOUT_MS` (2,000 ms by default), `getStock` calls `cacheLife({ stale: 30, revalidate: 10, expire: 600 })`, and the page says \"Price unavailable right now. Please try again in a moment.\" The reason goes to the server log, never to readers.",
      '',
      '## The inventory webhook',
      '',
      'On every change the service (`inventory/server.ts`, `inventory/store.ts`) queues a delivery of `{"tags": ["product:<sku>", "inventory"], "mode": …}` to `/api/revalidate`, signed like any other sender, with `max` as the mode unless the change asked for `expire`. `inventory/outbox.ts` sends the queue oldest first and retries network errors, timeouts, 408, 429 and 5xx answers with backoff, from 1 s up to 60 s; any other 4xx is refused for good. Try it while the demo runs:',
      '',
      '```bash',
      'npx tsx inventory/cli.ts set MUG-001 --stock 3 --mode expire',
      'npx tsx inventory/cli.ts latency 5000',
      '```',
      '',
      'The first command changes the stock, and the product page shows 3 on its next request. The second makes every read slower than the timeout: the next time the app fetches a price (after an invalidation, or once the cached one is past its revalidate time), the page shows the unavailable message.',
    ),
  }],
  [10, {
    title: 'Lists, cursors and a tag for every row',
    excerpt: 'The home page, the archive and every category, author and topic page are one keyset query and one cached function, tagged with the list and with each row it shows.',
    category: 'databases',
    topics: ['postgres', 'caching'],
    body: md(
      'The home page is `getLatestPosts(null)` from `lib/blog.ts`; "Older posts" leads to `/archive/<cursor>`, which is `getLatestPosts(cursor)`. Category, author and topic pages go through `entityPosts` in the same file. All of them read one query, `listPublishedPosts` in `db/queries/blog.ts`.',
      '',
      '## Keyset pages',
      '',
      'A page is 12 posts (`PAGE_SIZE`), newest first, with no `OFFSET` and no count. The cursor is the publish time and id of the last post shown, written as `<milliseconds>-<id>`, and the next page is everything older than it. In SQL terms:',
      '',
      '```sql',
      'select … from posts',
      "where status = 'published'",
      '  and (published_at, id) < ($1, $2)',
      'order by published_at desc, id desc',
      'limit 13;',
      '```',
      '',
      "It asks for one row more than it shows, to know whether there is a next page. The row comparison `(published_at, id) < (…)` lets PostgreSQL start reading the index at the cursor (the comment in the query file has the measurement). The list indexes in `db/schema.ts` are partial (`where status = 'published'`), so drafts never enter them.",
      '',
      '## Cursors are part of the cache key',
      '',
      "`getLatestPosts` is `'use cache'`, so each cursor is its own entry. A cursor the app did not make (`decodeCursor` returns `null`) is cached as `null` and the archive page answers 404, never 500.",
      '',
      '## The tags',
      '',
      "A list needs two kinds of tags. The list's own tag (`posts` for home, archive, feed and sitemap; `posts:category:<slug>`, `posts:author:<id>` or `posts:topic:<slug>` for the others) covers posts being added, removed or moved. The rows' tags cover a change to something the list prints: `postListTags` in `lib/cache/tags.ts` adds `post:<id>` for each post shown, and `author:<id>` and `category:<slug>` for each author and category among them. So a CMS that edits one post and sends only `post:<id>` refreshes its title on every list that shows it.",
      '',
      'That is also why lists are paginated and the feed is capped at 30 posts: Next.js keeps at most 128 tags per entry, and `validateTags` throws rather than let it drop any. A page of 30 posts by 30 authors in 30 categories is 90 row tags. The sitemap lists up to 50,000 URLs, far too many for one tag each, so it carries only `content` and the list tags; it shows URLs and dates, not titles.',
      '',
      'Lists use the `lists` profile from `lib/cache/profiles.ts`: a list cached more than 15 minutes ago is refreshed in the background on its next request, a safety net under the tags.',
    ),
  }],
  [11, {
    title: 'Caching a 404, and the tag the seed sends',
    excerpt: 'A URL with no post behind it is cached like any other answer. Two tags make sure it does not stay a 404 longer than it should.',
    category: 'engineering',
    topics: ['caching', 'testing'],
    body: md(
      "Ask for `/posts/no-such-post` and the app answers 404. Ask again and it answers from the cache without querying the database: `getPost` in `lib/blog.ts` caches a miss like any other result.",
      '',
      '```ts',
      'if (!post) return tagged(null, [tags.content, tags.postSlug(slug)]);',
      '```',
      '',
      'A cached 404 is only safe if something refreshes it when the post appears, and it has no `post:<id>` to be invalidated by, because there is no post. So it carries the tag of its URL, `post-slug:<slug>`.',
      '',
      '## Publishing at that URL',
      '',
      "`postChangeTags` in `lib/cache/invalidation-map.ts` sends `updateTag` for `post-slug:<slug>` of every URL a post had, before and after the change. Creating or publishing a post at a URL that was a 404 expires that cached 404, and renaming a slug makes the old URL a 404 at once. The same pattern is used for lists: an unknown category is cached under `category:<slug>` and `categories` (`entityPosts`, same file), so creating that category later refreshes its 404.",
      '',
      '## Drafts are 404s too',
      '',
      "`getPublishedPostBySlug` returns published posts only, so a draft's URL is a cached 404 for readers. Saving a draft still invalidates its slug tag, which is why `/cache` hides draft slugs (`post-slug:(not published)`): the page is public.",
      '',
      '## Reseeding a running app',
      '',
      "`npm run db:seed` replaces every row and restarts the ids. A cached 404 of a slug that exists again after the seed carries no entity tag, only its slug's, so no list of entity tags could reach every stale entry, and it would not fit into the webhook's 64 tags either. That is what `content` is for: every entry built from the database carries it. After seeding, `scripts/seed.ts` sends one signed delivery to the running app's webhook:",
      '',
      '```json',
      '{ "tags": ["content"], "mode": "expire" }',
      '```',
      '',
      "It uses `expire` rather than `'max'` because stale pages would link to posts that no longer exist. Its delivery ids start with `seed_`, so the metrics count it apart from other webhooks. If no app is running, the seed says so and the content is replaced all the same.",
    ),
  }],
  [12, {
    title: 'cacheLife profiles: the safety net under the tags',
    excerpt: 'Tags decide when an entry is forgotten. The four cacheLife profiles decide what happens when nobody tells the cache anything.',
    category: 'performance',
    topics: ['caching'],
    body: md(
      "Every change this app makes to its own data invalidates tags at once. The `cacheLife` profiles in `lib/cache/profiles.ts` are for changes it never hears about, such as a manual SQL fix, or a webhook delivery that got lost. `next.config.ts` registers them with `cacheLife: cacheLifeProfiles`, and most `'use cache'` functions name one of them:",
      '',
      "- `posts`: stale 5 min, revalidate 1 h, expire 1 day. Used by `getPost`.",
      "- `lists`: stale 5 min, revalidate 15 min, expire 1 day. Used by the lists in `lib/blog.ts` (home, archive, category, author and topic pages, feed, sitemap) and the studio lists (`lib/studio/data.ts`).",
      "- `navigation`: stale 5 min, revalidate 1 day, expire 7 days. Used by `getNavigation`, the product descriptions (`lib/catalog.ts`, `app/catalog/product-card.tsx`).",
      "- `inventory`: stale 30 s, revalidate 1 min, expire 10 min. Used by `getStock` in `lib/inventory.ts`.",
      '',
      '## What the three numbers mean',
      '',
      '- `stale`: how long the browser may reuse the entry without asking the server.',
      '- `revalidate`: after this, the next request gets the cached entry and a fresh one is made in the background.',
      '- `expire`: after this with no request, the entry is gone and the next request waits for a fresh one.',
      '',
      "The values are stored with each entry by the shared cache handlers, so they hold on every instance and after a restart; the store drops an entry at its `expire`. They also reach the edge: Next.js derives a page's `s-maxage` and `stale-while-revalidate` from the lifetimes of what it reads, and the Varnish edge uses those as its TTL and grace period.",
      '',
      '## Why these values',
      '',
      'Lists aggregate many rows, so their safety net is shorter than a single post\'s. Categories, authors and topics rarely change. Prices live in another service: if a delivery is ever lost, a price is at most a minute old. The comment on the `inventory` profile notes that an `expire` of at least 5 minutes keeps those pages prerenderable.',
      '',
      'A function can also set a lifetime for one result at run time. When the inventory service does not answer, `getStock` in `lib/inventory.ts` caches the failure with an inline profile:',
      '',
      '```ts',
      'cacheLife({ stale: 30, revalidate: 10, expire: 600 });',
      '```',
      '',
      'so the page recovers within seconds of the service coming back, without every request hammering a service that is down.',
      '',
      '## Profiles as an invalidation mode',
      '',
      "The webhook also accepts a profile's name as its `mode`: `revalidateTag(tag, 'inventory')` makes the tag stale now like `'max'`, but expires it after the profile's 10 minutes instead of a year. An entry nobody read in that time is not served stale any more. `lib/webhooks/revalidate.ts` reads the names from the same table (`PROFILE_NAMES`), so the list of modes cannot drift from the profiles.",
    ),
  }],
]);

export interface SeedPost {
  slug: string;
  title: string;
  excerpt: string;
  body: string;
  draft: boolean;
  authorIndex: number;
  categoryIndex: number;
  topicIndexes: number[];
  publishedAt: Date;
}

/** Post number `i` of the generated blog (0 is the newest). */
export function makePost(i: number, base: Date): SeedPost {
  const r = random(i + 1);
  const title = `${r.pick(openers)} ${r.pick(subjects)} ${r.pick(contexts)}`;
  const paragraph = () => Array.from({ length: 3 + r.int(3) }, () => r.pick(sentences)).join(' ');
  const sections = headings.slice(0, 2 + r.int(3)).map((h, n) => {
    const parts = [`## ${h}`, paragraph()];
    if (n === 1) parts.push(r.pick(snippets));
    if (n === 2) parts.push(['- Measure first.', '- Change one thing.', '- Measure again.'].join('\n'));
    if (n === 0 && r.next() < 0.3) parts.push(`> ${r.pick(sentences)}`);
    return parts.join('\n\n');
  });
  const body = [paragraph(), ...sections, `Read more in the [Next.js caching docs](https://nextjs.org/docs/app/getting-started/caching).`].join('\n\n');
  const topicCount = 1 + r.int(3);
  const topicIndexes = [...new Set(Array.from({ length: topicCount }, () => r.int(seedTopics.length)))];
  const post: SeedPost = {
    slug: `${slugify(title)}-${i + 1}`,
    title,
    excerpt: r.pick(sentences),
    body,
    // Every 10th post (from the 4th) is a draft: present in the database, never public.
    draft: i % 10 === 3,
    authorIndex: r.int(seedAuthors.length),
    categoryIndex: r.int(seedCategories.length),
    topicIndexes,
    // Newest first, about one post every nine hours, from a fixed date so the seed is reproducible.
    publishedAt: new Date(base.getTime() - i * 9 * 3600_000 - r.int(3600) * 1000),
  };
  const article = articles.get(i);
  if (!article) return post;
  if (post.draft) throw new Error(`Post ${i} is a draft: readers never see an article there`);
  // The article's words, category and topics; the generator's author, date and status.
  return {
    ...post,
    slug: `${slugify(article.title)}-${i + 1}`,
    title: article.title,
    excerpt: article.excerpt,
    body: article.body,
    categoryIndex: indexOf(seedCategories, article.category),
    topicIndexes: article.topics.map((slug) => indexOf(seedTopics, slug)),
  };
}

function indexOf(list: readonly { slug: string }[], slug: string): number {
  const index = list.findIndex((entry) => entry.slug === slug);
  if (index < 0) throw new Error(`The seed has no ${slug}`);
  return index;
}
