import { ListPage } from '@/app/_components/list-page';
import { getTopicPosts, getNavigation } from '@/lib/blog';
import { listStaticParams } from '@/lib/list-route';

export async function generateStaticParams() {
  const { data } = await getNavigation();
  return listStaticParams(data.topics.map((x) => x.slug));
}

export default function TopicPage({ params }: PageProps<'/topics/[slug]/[[...cursor]]'>) {
  return <ListPage kind="Topic" basePath="/topics" params={params} load={getTopicPosts} />;
}
