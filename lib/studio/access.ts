import 'server-only';
import { getDb } from '@/db/client';
import { getPostOwner } from '@/db/queries/studio';
import { canEditPost, userFromHeaders } from '@/lib/session';

/** /studio/posts/<id> and /studio/posts/<id>/delete */
const POST_PAGE = /^\/studio\/posts\/([^/]+)(?:\/delete)?\/?$/;

/**
 * For proxy.ts: whether a studio post page will be "not found" or "not yours" for this request. With Cache
 * Components a page's own notFound()/forbidden() runs after the prerendered shell (and its 200) was sent, so the
 * status can only be decided before rendering starts (Next's docs: "check the slug in Proxy, then rewrite it to
 * a not-found route"). The pages make the same checks themselves; this only picks the status.
 */
export async function studioPostAccess(pathname: string, requestHeaders: Headers): Promise<'ok' | 'not-found' | 'forbidden'> {
  const match = POST_PAGE.exec(pathname);
  if (!match) return 'ok';
  const id = match[1];
  if (!/^\d{1,9}$/.test(id)) return 'not-found';
  const user = await userFromHeaders(requestHeaders);
  if (!user) return 'ok'; // the page sends the visitor to sign in
  const post = await getPostOwner(getDb(), Number(id));
  if (!post) return 'not-found';
  return canEditPost(user, post) ? 'ok' : 'forbidden';
}
