import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '@/lib/markdown';

describe('renderMarkdown', () => {
  it('renders headings, emphasis, lists, code and links', () => {
    const html = renderMarkdown('## Title\n\nSome *emphasis* and `code`.\n\n- one\n- two\n\n```ts\nconst a = 1\n```\n\n[docs](https://nextjs.org/docs)');
    expect(html).toContain('<h2>Title</h2>');
    expect(html).toContain('<em>emphasis</em>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<code class="language-ts">');
    expect(html).toContain('<a href="https://nextjs.org/docs" rel="nofollow noopener noreferrer">docs</a>');
  });

  it.each([
    ['a script tag', '<script>alert(1)</script>', /<script/i],
    ['an event handler', '<img src="https://x.test/a.png" onerror="alert(1)">', /onerror/i],
    ['a javascript: link', '[click](javascript:alert(1))', /javascript:/i],
    ['an encoded javascript: link', '<a href="jav&#x09;ascript:alert(1)">x</a>', /ascript:/i],
    ['an iframe', '<iframe src="https://evil.test"></iframe>', /<iframe/i],
    ['a data: image', '![x](data:image/svg+xml;base64,PHN2Zz4=)', /data:/i],
    ['inline styles', '<p style="position:fixed">x</p>', /style=/i],
  ])('removes %s', (_, markdown, forbidden) => {
    expect(renderMarkdown(markdown)).not.toMatch(forbidden);
  });

  it('keeps the text of removed markup visible as text, not as HTML', () => {
    const html = renderMarkdown('Hello <b onclick="x()">world</b>');
    expect(html).toContain('world');
    expect(html).not.toContain('onclick');
  });
});
