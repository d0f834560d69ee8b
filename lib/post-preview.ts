// What the public post page shows in Draft Mode: the preview a signed-in author started from the studio
// (lib/studio/preview.ts), checked again on every render. Draft Mode alone is no permission (its cookie is one value
// per build): the session, the permission, the stored preview and its expiry decide.
import 'server-only';
import { draftMode } from 'next/headers';
import { cache } from 'react';
import { getDb } from '@/db/client';
import * as q from '@/db/queries/previews';
import { renderMarkdown } from '@/lib/markdown';
import { canEditPost, getCurrentUser } from '@/lib/session';

/** What the public post page shows, from the cache or from a preview. */
export interface PostView {
  slug: string;
  title: string;
  excerpt: string;
  html: string;
  /** Null for a draft: never published. */
  publishedAt: Date | null;
  author: { slug: string; name: string };
  category: { slug: string; name: string };
  topics: { id: number; slug: string; name: string }[];
}

export type PostPreview =
  /** Draft Mode is on, but nothing is previewed here for this request: the page shows what every reader sees. */
  | { kind: 'public' }
  | { kind: 'preview'; postId: number; post: PostView; status: 'draft' | 'published'; expiresAt: Date };

/**
 * For the post page and its metadata: null without Draft Mode (every normal request, and the build's prerender,
 * where Draft Mode is always off: the page stays static). With it, the preview this request may see, checked now:
 * the session, the permission, the stored preview and its expiry. Deduplicated per request.
 */
export const getPostPreview = cache(async (slug: string): Promise<PostPreview | null> => {
  if (!(await draftMode()).isEnabled) return null;
  const user = await getCurrentUser();
  if (!user) return { kind: 'public' };
  const db = getDb();
  const post = await q.getPostAtSlug(db, slug);
  if (!post || !canEditPost(user, { authorId: post.author.id })) return { kind: 'public' };
  const stored = await q.getPreview(db, user.id, post.id);
  if (!stored) return { kind: 'public' };
  const { values } = stored;
  const { category, topics } = await q.getPreviewTaxonomy(db, values.categoryId, values.topicIds);
  if (!category) return { kind: 'public' }; // deleted since the preview started
  return {
    kind: 'preview',
    postId: post.id,
    status: post.status,
    expiresAt: stored.expiresAt,
    post: {
      slug: post.slug,
      title: values.title,
      excerpt: values.excerpt,
      // The public page's renderer and sanitiser: the preview shows exactly what saving would publish.
      html: renderMarkdown(values.body),
      publishedAt: post.publishedAt,
      author: post.author,
      category,
      topics,
    },
  };
});
