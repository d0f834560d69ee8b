import { getNavigation } from '@/lib/blog';
import { takeFormResult } from '@/lib/form-result';
import type { PostFormState } from '@/lib/studio/actions';
import { postFormKey } from '@/lib/studio/form-keys';
import { PostForm } from '../_components/post-form';
import { requireUser } from '../_components/require-user';

// Blocking by design, like the studio layout: the whole page, the signed-in user included, is rendered before
// anything is sent, so its forms work without JavaScript. Navigations between studio pages are not instant.
// Each studio page names itself in the tab, so several open tabs can be told apart.
export const metadata = { title: 'New post · Studio' };

export const instant = false;

async function NewPost() {
  await requireUser('/studio/new');
  const { data: nav } = await getNavigation();
  return (
    <PostForm
      initial={{ title: '', slug: '', excerpt: '', body: '', categoryId: '', topicIds: [] }}
      categories={nav.categories}
      topics={nav.topics}
      result={await takeFormResult<PostFormState>(postFormKey(null))}
    />
  );
}

export default function NewPostPage() {
  return (
    <>
      <h1 className="mb-6 text-2xl font-bold tracking-tight">New post</h1>
      <NewPost />
    </>
  );
}
