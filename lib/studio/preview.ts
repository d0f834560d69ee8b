// Full-page preview of a post at its public URL, with Next's Draft Mode: starting and leaving it (what the post page
// shows in it: lib/post-preview.ts).
//
// Draft Mode alone is no permission: its cookie (`__prerender_bypass`) is one value per build, the same for every
// browser that has it. So it only switches the page into a per-request render; what that render may show is
// decided here, on every render, from the session: a preview is shown only to a signed-in user who may edit the
// post (canEditPost, as the studio checks it), only for a post they asked to preview, and only for PREVIEW_TTL_MS.
// The unsaved fields travel once, in the POST that starts the preview, and are kept server-side (post_previews),
// never in a cookie or a URL. Draft Mode makes every 'use cache' function run afresh without saving its result,
// and keeps the page out of the page cache (Cache-Control: private, no-store): a preview writes nothing any
// reader can get.
import 'server-only';
import { draftMode } from 'next/headers';
import { getDb } from '@/db/client';
import * as q from '@/db/queries/previews';
import { categoryIdsExist, getEditablePost } from '@/db/queries/studio';
import { readForm } from '@/lib/request-body';
import { isSlug } from '@/lib/slug';
import { parseDbInt, parsePostForm } from './post-form';
import { SERVER_ACTION_BODY_LIMIT_BYTES } from './form-limits';
import { canEditPost, getCurrentUser } from '@/lib/session';

/** How long one "Preview" click lasts: long enough to read the page, short enough that a grant does not linger. */
export const PREVIEW_TTL_MS = 10 * 60_000;

const text = (status: number, message: string) =>
  new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/**
 * Route handlers get no Origin check from Next (Server Actions do). A browser always sends Origin (and
 * Sec-Fetch-Site) with a form POST: one from another site must not start or end a preview in this browser.
 */
function sameOrigin(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin') return false;
  const origin = request.headers.get('origin');
  if (origin === null) return true; // not a browser (a browser's cross-site POST always carries it)
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

const formRefusal = {
  'too-large': () => text(413, 'The form is too large to preview.'),
  'cut-off': () => text(400, 'The form arrived incomplete.'),
  'not-a-form': () => text(400, 'This is not a form the studio sent.'),
};
// The preview bar's form holds one slug.
const EXIT_FORM_LIMIT_BYTES = 4_096;

/**
 * POST from the studio's edit form (its "Preview" button): checks the session and the permission, validates the
 * form's fields as a save would, keeps them for this user and post, turns Draft Mode on and sends the browser to
 * the post's public URL. Every refusal sets no cookie and keeps nothing.
 */
export async function startPreview(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return text(403, 'Previews start from this site’s studio only.');
  const user = await getCurrentUser();
  if (!user) return text(401, 'Sign in to preview posts.');
  // Same bound as a save (Next refuses larger Server Action bodies), counted as the bytes arrive.
  const read = await readForm(request, SERVER_ACTION_BODY_LIMIT_BYTES);
  if (!read.ok) return formRefusal[read.reason]();
  const formData = read.form;
  const id = parseDbInt(formData.get('id'));
  const db = getDb();
  const post = id === null ? null : await getEditablePost(db, id);
  if (!post) return text(404, 'There is no such post.');
  if (!canEditPost(user, post)) return text(403, 'You can only preview posts you may edit.');

  const parsed = parsePostForm(formData);
  if (!parsed.success) {
    const problems = [...new Set(parsed.error.issues.map((i) => i.message))].join('\n');
    return text(400, `Nothing to preview yet: correct these fields in the editor first.\n${problems}`);
  }
  const { title, excerpt, body, categoryId, topicIds } = parsed.data;
  const exists = await categoryIdsExist(db, categoryId, topicIds);
  if (!exists.category || !exists.topics) return text(400, 'Nothing to preview yet: choose a category and topics that exist.');

  await q.savePreview(db, user.id, post.id, { title, excerpt, body, categoryId, topicIds }, new Date(Date.now() + PREVIEW_TTL_MS));
  (await draftMode()).enable();
  // At the saved slug, its public URL: an unsaved slug change is not a URL yet. 303: the browser GETs it.
  return new Response(null, { status: 303, headers: { location: `/posts/${post.slug}`, 'cache-control': 'no-store' } });
}

/** POST from the preview bar: Draft Mode off, this user's previews forgotten, back to the post's cached page. */
export async function exitPreview(request: Request): Promise<Response> {
  if (!sameOrigin(request)) return text(403, 'Leave the preview from this site.');
  const read = await readForm(request, EXIT_FORM_LIMIT_BYTES);
  const slug = read.ok ? read.form.get('slug') : null;
  const user = await getCurrentUser();
  if (user) await q.deletePreviews(getDb(), user.id);
  (await draftMode()).disable();
  // Only a slug's shape is accepted as the target: never a URL a client chose.
  return new Response(null, { status: 303, headers: { location: isSlug(slug) ? `/posts/${slug}` : '/', 'cache-control': 'no-store' } });
}
