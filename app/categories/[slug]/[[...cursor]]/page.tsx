import { ListPage } from '@/app/_components/list-page';
import { getCategoryPosts, getNavigation } from '@/lib/blog';
import { listStaticParams } from '@/lib/list-route';

export async function generateStaticParams() {
  const { data } = await getNavigation();
  return listStaticParams(data.categories.map((x) => x.slug));
}

export default function CategoryPage({ params }: PageProps<'/categories/[slug]/[[...cursor]]'>) {
  return <ListPage kind="Category" basePath="/categories" params={params} load={getCategoryPosts} />;
}
