import type { Metadata } from 'next';
import { ListPage } from '@/app/_components/list-page';
import { getTopicPosts, getNavigation } from '@/lib/blog';
import { listStaticParams } from '@/lib/list-route';
import { listMetadata } from '@/lib/site';

// Served from the cache, never rendered per request (Next's ensureStatic): a change that would render this page
// per request (request data, an uncached read, a too-short cacheLife) fails `next build`.
export const ensureStatic = 'navigation';

export async function generateStaticParams() {
  const { data } = await getNavigation();
  return listStaticParams(data.topics.map((x) => x.slug));
}

export function generateMetadata({ params }: PageProps<'/topics/[slug]/[[...cursor]]'>): Promise<Metadata> {
  return listMetadata({ basePath: '/topics', kind: 'topic', params, load: getTopicPosts, describe: (name) => `Posts about ${name}.` });
}

export default function TopicPage({ params }: PageProps<'/topics/[slug]/[[...cursor]]'>) {
  return <ListPage kind="Topic" basePath="/topics" params={params} load={getTopicPosts} />;
}
