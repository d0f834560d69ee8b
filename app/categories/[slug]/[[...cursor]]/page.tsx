import type { Metadata } from 'next';
import { ListPage } from '@/app/_components/list-page';
import { getCategoryPosts, getNavigation } from '@/lib/blog';
import { listStaticParams } from '@/lib/list-route';
import { listMetadata } from '@/lib/site';

// Served from the cache, never rendered per request (Next's ensureStatic): a change that would render this page
// per request (request data, an uncached read, a too-short cacheLife) fails `next build`.
export const ensureStatic = 'navigation';

export async function generateStaticParams() {
  const { data } = await getNavigation();
  return listStaticParams(data.categories.map((x) => x.slug));
}

export function generateMetadata({ params }: PageProps<'/categories/[slug]/[[...cursor]]'>): Promise<Metadata> {
  return listMetadata({ basePath: '/categories', kind: 'category', params, load: getCategoryPosts, describe: (name) => `Posts in the ${name} category.` });
}

export default function CategoryPage({ params }: PageProps<'/categories/[slug]/[[...cursor]]'>) {
  return <ListPage kind="Category" basePath="/categories" params={params} load={getCategoryPosts} />;
}
