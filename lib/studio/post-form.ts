// Validation of the studio's forms, shared by the Server Actions and their tests. A Server Action is a public
// endpoint: every field is checked here, so a malformed one is a message in the form, never a PostgreSQL error.
import { z } from 'zod';
import { SLUG_MAX_LENGTH, SLUG_PATTERN, slugify } from '@/lib/slug';
import { BODY_MAX_LENGTH, EXCERPT_MAX_LENGTH, TITLE_MAX_LENGTH } from './form-limits';
import { DAMAGED_FORM } from './notices';

export { SLUG_PATTERN };

/** The largest PostgreSQL `integer` (ids, versions): a larger number is an "out of range" error in the database. */
export const MAX_DB_INT = 2_147_483_647;

/** A positive database integer written in plain decimal digits ("12"; not "1e3", "0x10", " 12" or "12.0"), else null. */
export function parseDbInt(value: FormDataEntryValue | null | undefined): number | null {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,9}$/.test(value)) return null;
  const n = Number(value);
  return n <= MAX_DB_INT ? n : null;
}

const dbInt = (message: string) =>
  z.string().transform((value, ctx) => {
    const n = parseDbInt(value);
    if (n === null) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return n;
  });

// Control characters have no place in text people write here: a NUL byte is refused by PostgreSQL (a 500), and
// C0 controls make the RSS feed malformed XML. Single-line fields refuse every one; multi-line fields keep tab and
// line breaks. U+FFFE and U+FFFF are not characters at all.
const CONTROL_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF]/;
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/;
const CONTROL_MESSAGE = 'Remove the control characters (invisible characters such as NUL) from this field.';

export const singleLine = () => z.string().refine((s) => !CONTROL_SINGLE_LINE.test(s), CONTROL_MESSAGE);
export const multiLine = () => z.string().refine((s) => !CONTROL_MULTI_LINE.test(s), CONTROL_MESSAGE);

/**
 * Browsers send a textarea's line breaks as CRLF, while the textarea itself (and the form's live character count)
 * has LF: stored as LF, a body that the form counts as within the limit is within it here too.
 */
export const withLf = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : v), schema);

export const postFormSchema = z
  .object({
    title: singleLine().trim().min(1, 'Give the post a title.').max(TITLE_MAX_LENGTH, `Keep the title under ${TITLE_MAX_LENGTH} characters.`),
    slug: singleLine()
      .trim()
      .toLowerCase()
      .max(SLUG_MAX_LENGTH.post, `Keep the slug under ${SLUG_MAX_LENGTH.post} characters.`)
      .refine((s) => s === '' || SLUG_PATTERN.test(s), 'Use lowercase letters, digits and single hyphens (for example my-first-post).'),
    excerpt: withLf(multiLine().trim().max(EXCERPT_MAX_LENGTH, `Keep the excerpt under ${EXCERPT_MAX_LENGTH} characters.`)),
    body: withLf(
      multiLine()
        .trim()
        .min(1, 'Write something in the body.')
        .max(BODY_MAX_LENGTH, `The body is over ${BODY_MAX_LENGTH.toLocaleString('en')} characters.`),
    ),
    categoryId: dbInt('Choose a category.'),
    topicIds: z.array(dbInt('Choose topics from the list.')).max(10, 'Choose at most 10 topics.'),
  })
  .transform((v) => ({ ...v, slug: v.slug || slugify(v.title) }))
  .refine((v) => v.slug !== '', { path: ['slug'], message: 'The title has no letters to make a URL from: enter a slug.' });

export type PostFormValues = z.infer<typeof postFormSchema>;

/** The raw text of each field, to put back into the form when it is shown again with errors. */
export function formFields(formData: FormData): Record<string, string | string[]> {
  return {
    title: String(formData.get('title') ?? ''),
    slug: String(formData.get('slug') ?? ''),
    excerpt: String(formData.get('excerpt') ?? ''),
    body: String(formData.get('body') ?? ''),
    categoryId: String(formData.get('categoryId') ?? ''),
    topicIds: formData.getAll('topicIds').map(String),
  };
}

export function parsePostForm(formData: FormData) {
  const fields = formFields(formData);
  return postFormSchema.safeParse(fields);
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * The hidden fields of the post editor: `id` (absent for a new post), `version` (required with an id) and the
 * button's `intent`.
 */
export function parsePostTarget(formData: FormData): Parsed<{ id: number | null; version: number | null; intent: 'save' | 'publish' | 'unpublish' }> {
  const rawId = formData.get('id');
  const intent = formData.get('intent') ?? 'save';
  if (intent !== 'save' && intent !== 'publish' && intent !== 'unpublish') return { ok: false, message: DAMAGED_FORM };
  if (rawId === null || rawId === '') return { ok: true, value: { id: null, version: null, intent } };
  const id = parseDbInt(rawId);
  const version = parseDbInt(formData.get('version'));
  if (id === null || version === null) return { ok: false, message: DAMAGED_FORM };
  return { ok: true, value: { id, version, intent } };
}

/** The hidden fields of the studio list's publish/unpublish and the delete confirmation: `id`, `version`, `status`. */
export function parseRowAction(formData: FormData, { withStatus = false } = {}): Parsed<{ id: number; version: number; status: 'published' | 'draft' }> {
  const id = parseDbInt(formData.get('id'));
  const version = parseDbInt(formData.get('version'));
  const status = formData.get('status');
  if (id === null || version === null) return { ok: false, message: DAMAGED_FORM };
  if (withStatus && status !== 'published' && status !== 'draft') return { ok: false, message: DAMAGED_FORM };
  return { ok: true, value: { id, version, status: status === 'published' ? 'published' : 'draft' } };
}

export const profileSchema = z.object({
  name: singleLine().trim().min(1, 'Give a display name.').max(200, 'Keep the name under 200 characters.'),
  bio: withLf(multiLine().trim().max(1000, 'Keep the bio under 1,000 characters.')),
});
