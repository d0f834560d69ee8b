import { describe, expect, it } from 'vitest';
import { isAppPath, PATH_SHAPES, pathTags } from '@/lib/cache/paths';

describe('webhook paths (revalidatePath)', () => {
  it("accepts this app's page URLs as it links to them", () => {
    for (const path of [
      '/', '/archive/1733500000000-12', '/posts/hello-world', '/categories/databases', '/categories/databases/1733500000000-3',
      '/authors/ada-lovelace', '/authors/ada-lovelace/1733500000000-3', '/topics/redis', '/topics/redis/1-1', '/catalog',
      '/catalog/MUG-001', '/feed.xml', '/sitemap.xml',
    ]) {
      expect(isAppPath(path), path).toBe(true);
    }
  });

  it('refuses what Next never cached under that name: other routes, trailing slashes, queries, bad segments', () => {
    for (const path of [
      '', 'posts/x', '/posts', '/posts/', '/posts/x/', '/posts/Hello', '/posts/x?y=1', '/posts/%41', '/posts/x/y', '/archive/abc',
      '/archive', '/catalog/mug-001', '/catalog/', '/cache', '/studio', '/api/revalidate', '/categories/a/b', '//posts/x',
      `/posts/${'a'.repeat(201)}`, '/archive/1-99999999999',
    ]) {
      expect(isAppPath(path), path).toBe(false);
    }
  });

  it('describes in its error messages exactly the shapes it accepts', () => {
    const samples: Record<string, string> = { '<slug>': 'hello-world', '<cursor>': '1733500000000-12', '<sku>': 'MUG-001' };
    const filled = PATH_SHAPES.map((shape) => shape.replace(/<\w+>/g, (placeholder) => samples[placeholder]));
    for (const path of filled) expect(isAppPath(path), path).toBe(true);
    expect(filled).toHaveLength(13);
  });

  it("names Next's implicit tags for a path, / also as /index", () => {
    expect(pathTags('/posts/x')).toEqual(['_N_T_/posts/x']);
    expect(pathTags('/')).toEqual(['_N_T_/', '_N_T_/index']);
  });
});
