// Every field of every studio action is validated before it reaches the database (issue 10, item 7): malformed
// ids and versions, numbers beyond PostgreSQL's integer, and control characters are messages, not 500s.
import { describe, expect, it } from 'vitest';
import {
  MAX_DB_INT,
  parseDbInt,
  parsePostForm,
  parsePostTarget,
  parseRowAction,
  profileSchema,
} from '@/lib/studio/post-form';
import { BODY_MAX_LENGTH } from '@/lib/studio/form-limits';
import { DAMAGED_FORM } from '@/lib/studio/notices';

const form = (entries: [string, string][]) => {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
};
const valid: [string, string][] = [
  ['title', 'A title'],
  ['slug', ''],
  ['excerpt', 'Short'],
  ['body', 'Body text'],
  ['categoryId', '1'],
  ['topicIds', '2'],
];
const withField = (name: string, value: string) => form([...valid.filter(([k]) => k !== name), [name, value]]);
const fieldError = (data: FormData, name: string) => {
  const parsed = parsePostForm(data);
  return parsed.success ? undefined : parsed.error.issues.find((i) => i.path[0] === name)?.message;
};

describe('database integers', () => {
  it('accepts plain positive decimals up to 2^31 - 1', () => {
    expect(parseDbInt('1')).toBe(1);
    expect(parseDbInt(String(MAX_DB_INT))).toBe(MAX_DB_INT);
  });
  it.each(['', 'abc', '0', '-1', '1.5', '1e3', '0x10', ' 12', '12 ', '012', String(MAX_DB_INT + 1), '99999999999', '9'.repeat(400)])(
    'refuses %j',
    (value) => expect(parseDbInt(value)).toBeNull(),
  );
});

describe('the post editor’s hidden fields', () => {
  it('a new post has no id; an existing one needs id and version', () => {
    expect(parsePostTarget(form([['intent', 'publish']]))).toEqual({ ok: true, value: { id: null, version: null, intent: 'publish' } });
    expect(parsePostTarget(form([['id', '12'], ['version', '3']]))).toEqual({ ok: true, value: { id: 12, version: 3, intent: 'save' } });
  });
  it.each([
    [[['id', '99999999999'], ['version', '1']]],
    [[['id', '2147483648'], ['version', '1']]],
    [[['id', '12'], ['version', 'abc']]],
    [[['id', '12']]],
    [[['id', 'abc'], ['version', '1']]],
    [[['id', '12'], ['version', '1'], ['intent', 'hack']]],
  ] as [string, string][][][])('refuses %j as a damaged form', (entries) => {
    expect(parsePostTarget(form(entries))).toEqual({ ok: false, message: DAMAGED_FORM });
  });
});

describe('the studio list’s row actions', () => {
  it('parses id, version and status', () => {
    expect(parseRowAction(form([['id', '4'], ['version', '2'], ['status', 'published']]), { withStatus: true })).toEqual({
      ok: true,
      value: { id: 4, version: 2, status: 'published' },
    });
  });
  it.each([
    [[['id', '4'], ['version', 'abc'], ['status', 'draft']]],
    [[['id', '3000000000'], ['version', '1'], ['status', 'draft']]],
    [[['id', '4'], ['version', '1'], ['status', 'deleted']]],
    [[['version', '1'], ['status', 'draft']]],
  ] as [string, string][][][])('refuses %j', (entries) => {
    expect(parseRowAction(form(entries), { withStatus: true }).ok).toBe(false);
  });
});

describe('post fields', () => {
  it('accepts a valid post and makes its slug from the title', () => {
    const parsed = parsePostForm(form(valid));
    expect(parsed.success && parsed.data).toMatchObject({ title: 'A title', slug: 'a-title', categoryId: 1, topicIds: [2] });
  });
  it('refuses control characters in the title and slug, and NUL anywhere', () => {
    expect(fieldError(withField('title', 'Bad\u0000title'), 'title')).toMatch(/control characters/);
    expect(fieldError(withField('title', 'Bell\u0007'), 'title')).toMatch(/control characters/);
    expect(fieldError(withField('title', 'Two\nlines'), 'title')).toMatch(/control characters/);
    expect(fieldError(withField('slug', 'a\u0000b'), 'slug')).toBeDefined();
    expect(fieldError(withField('excerpt', 'x\u0000'), 'excerpt')).toMatch(/control characters/);
    expect(fieldError(withField('body', 'x\u0000y'), 'body')).toMatch(/control characters/);
    expect(fieldError(withField('body', 'x\u001By'), 'body')).toMatch(/control characters/);
  });
  it('keeps tabs and line breaks in the body and excerpt, as LF', () => {
    const parsed = parsePostForm(form([...valid.filter(([k]) => k !== 'body'), ['body', 'line\r\nnext\tcol\rend']]));
    expect(parsed.success && parsed.data.body).toBe('line\nnext\tcol\nend');
    expect(parsePostForm(form([...valid.filter(([k]) => k !== 'excerpt'), ['excerpt', 'a\nb']])).success).toBe(true);
  });
  it('refuses category and topic ids the database cannot hold', () => {
    expect(fieldError(withField('categoryId', '99999999999'), 'categoryId')).toBe('Choose a category.');
    expect(fieldError(withField('categoryId', '1e3'), 'categoryId')).toBe('Choose a category.');
    expect(fieldError(withField('topicIds', '2147483648'), 'topicIds')).toBeDefined();
  });
  it('refuses a body over the limit with a message', () => {
    expect(fieldError(withField('body', 'x'.repeat(BODY_MAX_LENGTH + 1)), 'body')).toMatch(/over 100,000 characters/);
    expect(parsePostForm(withField('body', 'x'.repeat(BODY_MAX_LENGTH))).success).toBe(true);
    // Counted as the form counts it: the browser sends each LF of the textarea as CRLF.
    expect(parsePostForm(withField('body', `${'x\r\n'.repeat(BODY_MAX_LENGTH / 2)}`)).success).toBe(true);
  });
});

describe('profile fields', () => {
  it('refuses control characters in the name and NUL in the bio', () => {
    expect(profileSchema.safeParse({ name: 'Ada\u0000', bio: '' }).success).toBe(false);
    expect(profileSchema.safeParse({ name: 'Ada', bio: 'x\u0000' }).success).toBe(false);
    expect(profileSchema.safeParse({ name: 'Ada Okafor', bio: 'Line one\nLine two' }).success).toBe(true);
  });
});
