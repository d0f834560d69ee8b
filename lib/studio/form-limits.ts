// Field limits shared by the studio's forms (client side, to refuse before sending) and their validation on the
// server. Kept apart from the zod schemas so the browser bundle gets the numbers without the schemas.

/** Characters (UTF-16 code units, as `String.length` counts them) a post body may hold. */
export const BODY_MAX_LENGTH = 100_000;
export const TITLE_MAX_LENGTH = 300;
export const EXCERPT_MAX_LENGTH = 500;

/**
 * Next.js refuses a Server Action request over `serverActions.bodySizeLimit` (1 MB by default) before the action
 * runs, and the page is replaced by an error. A body at BODY_MAX_LENGTH is at most 300 KB of UTF-8 (3 bytes per
 * code unit), so every form that passes these limits reaches the action, which can answer with a field error.
 */
export const SERVER_ACTION_BODY_LIMIT_BYTES = 1_000_000;
