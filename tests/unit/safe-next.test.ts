import { describe, expect, it } from 'vitest';
import { safeNext } from '@/lib/safe-next';

describe('safeNext: where to go after signing in', () => {
  it.each([
    ['/studio', '/studio'],
    ['/studio/posts/12', '/studio/posts/12'],
    ['/studio?after=abc#top', '/studio?after=abc#top'],
    ['/studio/../posts/x', '/posts/x'],
    ['/%09/evil.example', '/%09/evil.example'], // still encoded: a path on this site
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['http:evil.example', '/evil.example'], // scheme-relative to our own origin: a path here
  ])('keeps the same-site path %j', (input, expected) => {
    expect(safeNext(input)).toBe(expected);
  });

  it.each([
    '/\t/evil.example', // the reported case, after the query string is decoded
    '/\n/evil.example',
    '/\r\n/evil.example',
    '\t//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/\\/evil.example',
    '//evil.example',
    '///evil.example',
    '/.//evil.example',
    '/%2e//evil.example',
    '/studio/../..//evil.example',
    'https://evil.example/',
    'HTTPS://evil.example',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '',
    'x'.repeat(3000),
  ])('refuses %j', (input) => {
    const result = safeNext(input);
    expect(result).toBe('/studio');
  });

  it('refuses what is not a string', () => {
    expect(safeNext(null)).toBe('/studio');
    expect(safeNext(undefined)).toBe('/studio');
    expect(safeNext(new Blob(['/x']))).toBe('/studio');
  });

  it('whatever it returns, a browser resolves to this site', () => {
    const inputs = ['/\t/x', '/.//x', '\\/x', '/ok', '/a/../../b', '/%5C%5Cx', '/\u0000/x', ' /x', '/x\t'];
    for (const input of inputs) {
      const out = safeNext(input);
      expect(new URL(out, 'https://site.example').origin, `${JSON.stringify(input)} → ${out}`).toBe('https://site.example');
      expect(out.startsWith('/') && !out.startsWith('//')).toBe(true);
    }
  });
});
