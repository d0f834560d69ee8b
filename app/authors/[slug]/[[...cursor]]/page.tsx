import { ListPage } from '@/app/_components/list-page';
import { getAuthorPosts, getNavigation } from '@/lib/blog';
import { listStaticParams } from '@/lib/list-route';

export async function generateStaticParams() {
  const { data } = await getNavigation();
  return listStaticParams(data.authors.map((x) => x.slug));
}

export default function AuthorPage({ params }: PageProps<'/authors/[slug]/[[...cursor]]'>) {
  return <ListPage kind="Author" basePath="/authors" params={params} load={getAuthorPosts} />;
}
