// Optimistic concurrency tells us THAT someone saved since the form was opened, not WHAT they changed. To list
// only their changes (never the user's own edits), the form carries a fingerprint of each field as it was
// loaded; on a conflict, the fields whose current value no longer matches that fingerprint are theirs.
// Digests, not the values: the body can be large, and the form already carries the user's own text.
// Pure and secret-free (no 'server-only'), so the unit tests import it directly.
import { createHash } from 'node:crypto';

export interface ConflictSubject {
  title: string;
  slug: string;
  excerpt: string;
  body: string;
  categoryId: number;
  categorySlug: string;
  topicIds: number[];
  topicSlugs: string[];
}

/** A post's fields as a form submits them: what `value` reads (the slugs are only shown, from the saved post). */
export type ConflictValues = Pick<ConflictSubject, 'title' | 'slug' | 'excerpt' | 'body' | 'categoryId' | 'topicIds'>;

// The one list of the fields a conflict reports, with their labels.
const FIELDS: { label: string; value: (p: ConflictValues) => string; shown: (p: ConflictSubject) => string }[] = [
  { label: 'Title', value: (p) => p.title, shown: (p) => p.title },
  { label: 'URL slug', value: (p) => p.slug, shown: (p) => p.slug },
  { label: 'Excerpt', value: (p) => p.excerpt, shown: (p) => p.excerpt },
  { label: 'Body', value: (p) => p.body, shown: (p) => p.body },
  { label: 'Category', value: (p) => String(p.categoryId), shown: (p) => p.categorySlug },
  { label: 'Topics', value: (p) => [...p.topicIds].sort((a, b) => a - b).join(','), shown: (p) => p.topicSlugs.join(', ') || '(none)' },
];

// 96 bits per field: a collision would need to be engineered, and would only hide a field from the message.
// Line endings are compared as text, not bytes: browsers submit a textarea's newlines as CRLF, so a save that
// only passed the body through changes its bytes without changing what anyone wrote.
const digest = (text: string) => createHash('sha256').update(text.replace(/\r\n?/g, '\n')).digest('base64url').slice(0, 16);

/** The fingerprint of a post as a form loads it (or as a save left it), sent back with the next save. */
export function fingerprint(post: ConflictSubject): string {
  return FIELDS.map((f) => digest(f.value(post))).join('.');
}

/**
 * The fields that changed between the version the form was based on (`base`, its fingerprint) and `current`,
 * with their current values. Null when `base` is missing or not a fingerprint (a form from an older build).
 */
export function changedSince(base: unknown, current: ConflictSubject): { field: string; theirs: string }[] | null {
  if (typeof base !== 'string') return null;
  const parts = base.split('.');
  if (parts.length !== FIELDS.length || !parts.every((p) => /^[A-Za-z0-9_-]{16}$/.test(p))) return null;
  return FIELDS.filter((f, i) => digest(f.value(current)) !== parts[i]).map((f) => ({ field: f.label, theirs: f.shown(current) }));
}

/** The fields where `current` differs from what this form submits (`mine`), with their current values. */
export function differingFields(current: ConflictSubject, mine: ConflictValues): { field: string; theirs: string }[] {
  return FIELDS.filter((f) => f.value(current) !== f.value(mine)).map((f) => ({ field: f.label, theirs: f.shown(current) }));
}
