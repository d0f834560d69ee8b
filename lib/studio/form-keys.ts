// Which form an action result belongs to, for the hand-over to the page without JavaScript (lib/form-result.ts).
export const SIGN_IN_FORM = 'sign-in';
export const PROFILE_FORM = 'profile';
/** The post form: per post, and "new" for a post not yet created. */
export const postFormKey = (id: unknown) => `post:${typeof id === 'string' && /^\d{1,9}$/.test(id) ? id : 'new'}`;
