import { describe, expect, it } from 'vitest';
import { changedSince, fingerprint, type ConflictSubject } from '@/lib/studio/conflict';

const loaded: ConflictSubject = {
  title: 'Hello', slug: 'hello', excerpt: 'Short', body: 'Body', categoryId: 1, categorySlug: 'engineering', topicIds: [3, 1], topicSlugs: ['css', 'react'],
};

describe('edit conflicts list only what the other writer changed', () => {
  it('their title change is listed; the fields they left alone are not, whatever this user typed', () => {
    const theirs = { ...loaded, title: 'Hello (their fix)' };
    expect(changedSince(fingerprint(loaded), theirs)).toEqual([{ field: 'Title', theirs: 'Hello (their fix)' }]);
  });

  it('nothing changed since the version loaded: nothing listed', () => {
    expect(changedSince(fingerprint(loaded), { ...loaded, topicIds: [1, 3] })).toEqual([]);
  });

  it('a body that only went through a browser form (CRLF line endings) is not their change', () => {
    const body = 'First line\nSecond line\n';
    expect(changedSince(fingerprint({ ...loaded, body }), { ...loaded, body: body.replaceAll('\n', '\r\n') })).toEqual([]);
  });

  it('every field they changed, with their values', () => {
    const theirs = { ...loaded, body: 'New body', categoryId: 2, categorySlug: 'databases', topicIds: [], topicSlugs: [] };
    expect(changedSince(fingerprint(loaded), theirs)).toEqual([
      { field: 'Body', theirs: 'New body' },
      { field: 'Category', theirs: 'databases' },
      { field: 'Topics', theirs: '(none)' },
    ]);
  });

  it('a missing or forged fingerprint is not trusted (the caller falls back)', () => {
    for (const base of [null, '', 'x', fingerprint(loaded).slice(1), `${fingerprint(loaded)}.AAAAAAAAAAAAAAAA`]) {
      expect(changedSince(base, loaded), String(base)).toBeNull();
    }
  });
});
