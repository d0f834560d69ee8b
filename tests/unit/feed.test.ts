// The feed stays well-formed XML whatever the database holds (issue 10, item 9).
import { describe, expect, it } from 'vitest';
import type { PostSummary } from '@/db/queries/blog';
import { renderRss } from '@/lib/feed';
import { escapeXml } from '@/lib/xml';

// Every character XML 1.0 forbids outright (https://www.w3.org/TR/xml/#charsets).
const forbidden = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const post = (over: Partial<PostSummary>): PostSummary => ({
  id: 7,
  slug: 'a-post',
  title: 'A post',
  excerpt: 'Short',
  publishedAt: new Date('2026-11-24T10:00:00Z'),
  author: { id: 1, slug: 'ada', name: 'Ada' },
  category: { slug: 'engineering', name: 'Engineering' },
  ...over,
});

describe('escapeXml', () => {
  it('drops characters XML cannot carry and escapes markup', () => {
    expect(escapeXml('a\u0000b\u0007c\u001Bd\u000Be\u000Cf\uFFFEg\uFFFFh\uD800i<&>"\'')).toBe('abcdefghi&lt;&amp;&gt;&quot;&apos;');
  });

  it('keeps tab, newlines, non-ASCII text and astral characters', () => {
    expect(escapeXml('tab\there\nline\r\nÜber 🚀 日本')).toBe('tab\there\nline\r\nÜber 🚀 日本');
  });
});

describe('renderRss', () => {
  it('never emits a character XML forbids, in any field', () => {
    const dirty = 'x\u0000\u0001\u0008\u001F\uD83Dy';
    const xml = renderRss('http://example.test?a=1&b=2', [
      post({ title: `Title ${dirty}`, excerpt: `Excerpt ${dirty}`, author: { id: 1, slug: 'ada', name: `Ada ${dirty}` }, category: { slug: 'c', name: `Cat ${dirty}` } }),
    ], '2026-11-24T10:00:00Z', 'http://example.test?a=1&b=2/feed.xml');
    expect(xml).not.toMatch(forbidden);
    expect(xml).toContain('<title>Title xy</title>');
    expect(xml).toContain('<description>Excerpt xy</description>');
    expect(xml).toContain('<dc:creator>Ada xy</dc:creator>');
    expect(xml).toContain('<category>Cat xy</category>');
    expect(xml).toContain('<link>http://example.test?a=1&amp;b=2/</link>');
    expect(xml).toContain('<atom:link href="http://example.test?a=1&amp;b=2/feed.xml" rel="self" type="application/rss+xml"/>');
  });

  it('names the author in dc:creator, never in <author> (RSS 2.0 wants an e-mail there), and declares its namespaces', () => {
    const xml = renderRss('https://blog.example', [post({})], '2026-11-24T10:00:00Z', 'https://blog.example/feed.xml');
    expect(xml).toMatch(/<rss version="2\.0"[^>]* xmlns:dc="http:\/\/purl\.org\/dc\/elements\/1\.1\/"/);
    expect(xml).toMatch(/<rss version="2\.0"[^>]* xmlns:atom="http:\/\/www\.w3\.org\/2005\/Atom"/);
    expect(xml).toContain('<dc:creator>Ada</dc:creator>');
    expect(xml).not.toContain('<author>');
    // Inside <channel>, as the Atom extension for RSS requires.
    expect(xml).toMatch(/<channel>[\s\S]*<atom:link href="https:\/\/blog\.example\/feed\.xml" rel="self" type="application\/rss\+xml"\/>[\s\S]*<\/channel>/);
  });
});
