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
  return {
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
}
