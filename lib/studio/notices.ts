// The messages the studio list shows after a plain-form action (publish, unpublish, delete) redirects to it.
// The URL carries only a code and a post id; the text is chosen here, so a link such as
// /studio?error=<anything> can never put words of a stranger's choosing into the studio's alert box.

/** What a hand-made or damaged request gets: the form's hidden fields are not what the page put there. */
export const DAMAGED_FORM = 'This form was changed or is out of date, so nothing was saved. Reload the page and try again.';

export const studioNotices = {
  published: (title?: string) => `${title ? `“${title}”` : 'The post'} is published.`,
  unpublished: (title?: string) => `${title ? `“${title}”` : 'The post'} is a draft again.`,
  deleted: () => 'The post was deleted.',
} as const;

export const studioErrors = {
  'not-found': () => 'This post no longer exists.',
  forbidden: () => 'You can only change your own posts.',
  conflict: (title?: string) =>
    `${title ? `“${title}”` : 'The post'} was changed by someone else meanwhile, so nothing was changed. Check it and try again.`,
  'damaged-form': () => DAMAGED_FORM,
} as const;

export type StudioNotice = keyof typeof studioNotices;
export type StudioError = keyof typeof studioErrors;

/** The studio list's URL with a notice or an error code (and the post it is about, when it still exists). */
export function studioListUrl(message: { notice: StudioNotice } | { error: StudioError }, postId?: number): string {
  const params = new URLSearchParams(message as Record<string, string>);
  if (postId !== undefined) params.set('post', String(postId));
  return `/studio?${params}`;
}

const has = <T extends object>(map: T, key: unknown): key is keyof T => typeof key === 'string' && Object.hasOwn(map, key);

/** The text for a code from the URL; null for anything that is not one of ours. */
export function studioMessage(
  query: { notice?: unknown; error?: unknown },
  title?: string,
): { kind: 'notice' | 'error'; text: string } | null {
  if (has(studioErrors, query.error)) return { kind: 'error', text: studioErrors[query.error](title) };
  if (has(studioNotices, query.notice)) return { kind: 'notice', text: studioNotices[query.notice](title) };
  return null;
}
