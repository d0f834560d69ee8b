// The pages `next build` prerendered are served from the cache from their first request (packages/cache-handlers/
// build-output.mjs): the build's renders are not wasted. Named to run first, before any other spec requests these
// URLs; `npm test` waits for the server on /robots.txt, none of them.
import { expect, test } from '@playwright/test';
import { firstAnswer, prerenderedUrls } from './support/build';

const distDir = process.env.NEXT_DIST_DIR ?? '';

test('the pages the build prerendered are cache hits from their first request', async ({ request }) => {
  expect(distDir, 'NEXT_DIST_DIR (the build under test): run through `npm test`').not.toBe('');
  for (const url of prerenderedUrls(distDir)) {
    const expected = [firstAnswer(distDir, url)];
    const response = await request.get(url);
    expected.push(firstAnswer(distDir, url)); // either, if its revalidate time passed during the request
    expect(response.status(), url).toBe(200);
    expect(response.headers()['x-nextjs-cache'], `${url} on its first request after the build`).toMatch(new RegExp(`^(${expected.join('|')})$`));
  }
});
