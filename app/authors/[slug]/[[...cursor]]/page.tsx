import type { Metadata } from 'next';
import { ListPage } from '@/app/_components/list-page';
import { getAuthorPosts, getNavigation } from '@/lib/blog';
import { listStaticParams } from '@/lib/list-route';
import { listMetadata } from '@/lib/site';

// Served from the cache, never rendered per request (Next's ensureStatic): a change that would render this page
// per request (request data, an uncached read, a too-short cacheLife) fails `next build`.
export const ensureStatic = 'navigation';

export async function generateStaticParams() {
  const { data } = await getNavigation();
  return listStaticParams(data.authors.map((x) => x.slug));
}

export function generateMetadata({ params }: PageProps<'/authors/[slug]/[[...cursor]]'>): Promise<Metadata> {
  return listMetadata({ basePath: '/authors', kind: 'author', params, load: getAuthorPosts, describe: (name) => `Posts by ${name}.` });
}

export default function AuthorPage({ params }: PageProps<'/authors/[slug]/[[...cursor]]'>) {
  return <ListPage kind="Author" basePath="/authors" params={params} load={getAuthorPosts} />;
}
