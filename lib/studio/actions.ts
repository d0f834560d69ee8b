'use server';
// The studio's Server Actions. Every one follows the same order:
//   verify the session → check permission → validate → mutate in a transaction → invalidate tags → return/redirect.
// The session and permission are checked here, on the server, even though the UI only offers what is allowed:
// a Server Action is a public endpoint that anyone can call directly. The form actions (savePost, saveProfile) get
// their session, target and validation steps from validatedActionWithUser (./validated-action.ts).
import { redirect } from 'next/navigation';
import { getDb } from '@/db/client';
import * as studio from '@/db/queries/studio';
import { invalidateForAction } from '@/lib/cache/invalidate';
import { authorChangeTags, postChangeTags, type PostSnapshot } from '@/lib/cache/invalidation-map';
import { renderMarkdown } from '@/lib/markdown';
import { changedSince, differingFields, fingerprint } from './conflict';
import { formFields, parsePostTarget, parseRowAction, postFormSchema, profileSchema, type PostFormValues } from './post-form';
import { PROFILE_FORM, postFormKey } from './form-keys';
import { studioErrors, studioListUrl } from './notices';
import { auditActor, canEditPost, getCurrentUser, type StudioUser } from '@/lib/session';
import { validatedActionWithUser, type Checked } from './validated-action';

export interface PostFormState {
  status: 'idle' | 'saved' | 'error' | 'conflict';
  message?: string;
  fieldErrors?: Partial<Record<keyof PostFormValues, string>>;
  /** What the user typed, shown again so nothing is lost. */
  fields?: Record<string, string | string[]>;
  /** The version the next save must be based on. */
  version?: number;
  /** On a conflict: the fields someone else saved differently, with their values. */
  changes?: { field: string; theirs: string }[];
  /** Fingerprint of the post as `version` has it (lib/studio/conflict.ts): what the next save is based on. */
  base?: string;
}

const SIGNED_OUT = 'Your session has ended. Sign in again in another tab, then save: your text is kept here.';

const snapshot = (p: studio.EditablePost): PostSnapshot => ({
  id: p.id,
  slug: p.slug,
  status: p.status,
  authorId: p.authorId,
  categorySlug: p.categorySlug,
  topicSlugs: p.topicSlugs,
});

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

/** The post, if it exists and this user may change it; otherwise why not. */
async function loadForChange(user: StudioUser, id: number): Promise<studio.EditablePost | 'not-found' | 'forbidden'> {
  const post = await studio.getEditablePost(getDb(), id);
  if (!post) return 'not-found';
  if (!canEditPost(user, post)) return 'forbidden';
  return post;
}

/** The post a save is about (none: a new one), checked before its fields: a damaged or foreign form says so first. */
async function saveTarget(formData: FormData, user: StudioUser) {
  const target = parsePostTarget(formData);
  if (!target.ok) return target;
  const before = target.value.id === null ? null : await loadForChange(user, target.value.id);
  if (typeof before === 'string') return { ok: false as const, message: studioErrors[before]() };
  if (!before && user.authorId === null) {
    return { ok: false as const, message: 'Your account has no author profile, so it cannot create posts.' };
  }
  return { ok: true as const, value: { ...target.value, before } };
}

/** Create (no `id`) or update a post. `intent` is publish, unpublish, or save (keep the current status). */
export const savePost = validatedActionWithUser(
  {
    form: (formData) => postFormKey(formData.get('id')),
    user: getCurrentUser,
    signedOut: SIGNED_OUT,
    fields: formFields,
    target: saveTarget,
    schema: postFormSchema,
    databaseAway: true,
  },
  async (input, { formData, fields, user, target, markFields }): Promise<PostFormState> => {
    const { before, intent, version: expectedVersion } = target;
    const db = getDb();
    const exists = await studio.categoryIdsExist(db, input.categoryId, input.topicIds);
    if (!exists.category || !exists.topics) {
      return markFields(exists.category ? { topicIds: 'One of the topics no longer exists.' } : { categoryId: 'Choose a category.' });
    }
    const slugClash = markFields({ slug: 'Another post already uses this URL slug.' });
    if (await studio.slugTaken(db, input.slug, before?.id)) return slugClash;

    const status = intent === 'publish' ? 'published' : intent === 'unpublish' ? 'draft' : undefined;
    let postId: number;
    let version: number | null;
    try {
      ({ postId, version } = await db.transaction(async (tx) => {
        if (!before) {
          const created = await studio.insertPost(tx, user.authorId!, input, status === 'published');
          return { postId: created, version: 1 };
        }
        return { postId: before.id, version: await studio.updatePost(tx, before.id, expectedVersion!, input, status) };
      }));
    } catch (error) {
      if (isUniqueViolation(error)) return slugClash; // someone took the slug between our check and our write
      throw error;
    }

    if (version === null) return conflictState(before!.id, formData.get('base'), input, fields);

    const after = (await studio.getEditablePost(db, postId))!;
    await invalidateForAction(postChangeTags(before ? snapshot(before) : null, snapshot(after)), {
      actor: auditActor(user),
      change: before ? `post ${intent === 'save' ? 'edited' : `${intent}ed`}` : 'post created',
    });
    if (!before) redirect(`/studio/posts/${postId}?created=1`);
    const verb = intent === 'publish' ? 'Published' : intent === 'unpublish' ? 'Unpublished: the post is a draft again' : 'Saved';
    return { status: 'saved', message: `${verb}.`, fields, version, base: fingerprint(after) };
  },
);

/**
 * Someone saved since this form was opened. Nothing was written; show what they changed, keep what we typed, and
 * base the next save on their version so saving again is a deliberate overwrite.
 */
async function conflictState(id: number, base: unknown, mine: PostFormValues, fields: PostFormState['fields']): Promise<PostFormState> {
  const current = (await studio.getEditablePost(getDb(), id))!;
  return {
    status: 'conflict',
    message: `Not saved: someone else saved this post at ${current.updatedAt.toISOString().replace('T', ' ').slice(0, 19)} UTC, after you opened it. Their changes are listed below; your text is kept in the form. Save again to replace their version with yours.`,
    // Only what they changed since the version this form was based on; without that fingerprint (a form
    // from an older build), every field where their version differs from this form.
    changes: changedSince(base, current) ?? differingFields(current, mine),
    fields,
    version: current.version,
    base: fingerprint(current),
  };
}

/** Publish or unpublish from the studio list (a plain form: works without JavaScript). */
export async function setPostStatus(formData: FormData): Promise<void> {
  const user = await getCurrentUser();
  if (!user) redirect('/sign-in?next=/studio');
  const target = parseRowAction(formData, { withStatus: true });
  if (!target.ok) redirect(studioListUrl({ error: 'damaged-form' }));
  const { status } = target.value;
  const post = await loadForChange(user, target.value.id);
  if (typeof post === 'string') redirect(studioListUrl({ error: post }));
  const version = await getDb().transaction((tx) => studio.setPostStatus(tx, post.id, target.value.version, status));
  if (version === null) redirect(studioListUrl({ error: 'conflict' }, post.id));
  await invalidateForAction(postChangeTags(snapshot(post), { ...snapshot(post), status }), {
    actor: auditActor(user),
    change: status === 'published' ? 'post published' : 'post unpublished',
  });
  redirect(studioListUrl({ notice: status === 'published' ? 'published' : 'unpublished' }, post.id));
}

/** Deletes a post after the confirmation page. */
export async function deletePost(formData: FormData): Promise<void> {
  const user = await getCurrentUser();
  if (!user) redirect('/sign-in?next=/studio');
  const target = parseRowAction(formData);
  if (!target.ok) redirect(studioListUrl({ error: 'damaged-form' }));
  const post = await loadForChange(user, target.value.id);
  if (typeof post === 'string') redirect(studioListUrl({ error: post }));
  const deleted = await getDb().transaction((tx) => studio.deletePostRow(tx, post.id, target.value.version));
  if (!deleted) redirect(studioListUrl({ error: 'conflict' }, post.id));
  await invalidateForAction(postChangeTags(snapshot(post), null), { actor: auditActor(user), change: 'post deleted' });
  redirect(studioListUrl({ notice: 'deleted' }));
}

/** Live preview: the same renderer and sanitiser as the public page. Signed-in users only. */
export async function previewMarkdown(body: string): Promise<string> {
  if (!(await getCurrentUser())) return '<p>Sign in to preview.</p>';
  return renderMarkdown(String(body).slice(0, 100_000));
}

export interface ProfileState {
  status: 'idle' | 'saved' | 'error';
  message?: string;
  fieldErrors?: { name?: string; bio?: string };
  fields?: { name: string; bio: string };
}

const profileFields = (formData: FormData) => ({ name: String(formData.get('name') ?? ''), bio: String(formData.get('bio') ?? '') });

/** An author changes their own display name and bio (editors change theirs the same way). */
export const saveProfile = validatedActionWithUser(
  {
    form: PROFILE_FORM,
    user: getCurrentUser,
    signedOut: SIGNED_OUT,
    fields: profileFields,
    target: (_, user): Checked<number> =>
      user.authorId === null ? { ok: false, message: 'Your account has no author profile.' } : { ok: true, value: user.authorId },
    schema: profileSchema,
    databaseAway: true,
  },
  async (profile, { user, target: authorId }): Promise<ProfileState> => {
    const changed = await getDb().transaction((tx) => studio.updateAuthorProfile(tx, authorId, profile));
    // Saved unchanged: nothing was written, so nothing is invalidated or logged.
    if (!changed.name && !changed.bio) return { status: 'saved', message: 'Nothing to save: your profile is unchanged.', fields: profile };
    await invalidateForAction(authorChangeTags(authorId, changed), { actor: auditActor(user), change: changed.name ? 'author renamed' : 'author bio edited' });
    return { status: 'saved', message: 'Profile saved.', fields: profile };
  },
);
