// A path whose percent-escapes do not decode is a 400 from proxy.ts, before Next's own decoding of route
// parameters (which fails into a bare 500 in an App Router build). e2e/robustness.spec.ts checks the built app.
import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
vi.mock('@/lib/studio/access', () => ({ studioPostAccess: async () => 'ok' }));
const { NextRequest } = await import('next/server');
const { config, decodable, proxy } = await import('@/proxy');
const { getMiddlewareMatchers } = (await import('next/dist/build/analysis/get-page-static-info.js')) as unknown as {
  getMiddlewareMatchers: (matchers: typeof config.matcher, nextConfig: object) => { regexp: string; has?: unknown[] }[];
};

const bad = ['%ff', '%zz', '%', 'a%e2%82', '%c0%af', '%%41'];
const prefixes = ['/posts/', '/categories/', '/authors/', '/topics/', '/archive/', '/catalog/', '/categories/engineering/', '/studio/posts/'];
const request = (path: string) => new NextRequest(new URL(path, 'http://localhost'));
// For a request without cookies: a matcher that needs one (the draft-mode cookie) does not apply.
const matched = (path: string) => getMiddlewareMatchers(config.matcher, {}).some(({ regexp, has }) => !has && new RegExp(regexp).test(path));

describe('proxy: invalid percent-escapes', () => {
  it.each(prefixes)('%s + an escape that does not decode is matched and answered 400', async (prefix) => {
    for (const escape of bad) {
      const path = `${prefix}${escape}`;
      expect(matched(path), path).toBe(true);
      const response = await proxy(request(path));
      expect(response.status, path).toBe(400);
      expect(await response.text()).toContain('invalid percent-escape');
      expect(decodable(path), path).toBe(false);
    }
  });

  it('lets a valid escape through to the page, and runs only for paths with a percent sign or of the studio', async () => {
    for (const path of ['/posts/%41bc', '/catalog/MUG-001%00', '/categories/a%20b']) {
      expect(decodable(path)).toBe(true);
      const response = await proxy(request(path));
      expect(response.headers.get('x-middleware-next'), path).toBe('1');
    }
    expect(matched('/posts/hello')).toBe(false);
    expect(matched('/catalog/MUG-001')).toBe(false);
    expect(matched('/studio/posts/1')).toBe(true);
  });

  it('still sends a studio visitor without a session to sign in', async () => {
    const response = await proxy(request('/studio/posts/%31'));
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toContain('/sign-in');
  });
});
