// examples/minimal, configured exactly as packages/cache-handlers/README.md says, as two instances of one build on a
// redis-server of their own: an invalidation on A is seen on B (updateTag, 'max', expire).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort, RedisServer } from '../../packages/cache-handlers/test/redis-server';
import { startProcess, waitForHttp, type Proc } from '../../scripts/cluster-env';
import { expectFreshAtOnce, expectStaleThenFresh } from '../support/freshness';

const work = mkdtempSync(path.join(os.tmpdir(), 'ntc-minimal-'));
const example = path.join(work, 'minimal');
const next = path.join(example, 'node_modules/next/dist/bin/next');
const greetingFile = path.join(work, 'greeting.txt');
const env = { ...process.env, GREETING_FILE: greetingFile, NEXT_DIST_DIR: '', REDIS_URL: '', CACHE_KEY_PREFIX: 'minimal' };
let redis: RedisServer;
const instances: Proc[] = [];
const urls: string[] = [];

test.describe.configure({ mode: 'serial' });

/**
 * The example as an app of its own that installed the package: outside this repository (inside it, Next would take
 * the repository for its workspace root), with this repository's node_modules (hard links: no copy of 600 MB) and
 * the package's files in place of the workspace link.
 */
function installExample() {
  cpSync('examples/minimal', example, { recursive: true, filter: (source) => !/node_modules|\.next/.test(source) });
  execFileSync('cp', ['-al', path.resolve('node_modules'), path.join(example, 'node_modules')]);
  const installed = path.join(example, 'node_modules/@next-tagged-cache/handlers');
  rmSync(installed);
  cpSync('packages/cache-handlers', installed, { recursive: true, filter: (source) => !/[/\\]test([/\\]|$)/.test(source) });
  rmSync(path.join(example, 'node_modules/minimal-example'));
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  installExample();
  writeFileSync(greetingFile, 'Hello\n');
  redis = new RedisServer(await freePort());
  await redis.start();
  const build = startProcess('minimal build', process.execPath, [next, 'build', example], env);
  expect(await build.exited, 'next build of examples/minimal').toBe(0);
  for (const name of ['a', 'b']) {
    const port = await freePort();
    const instance = startProcess(`minimal ${name}`, process.execPath, [next, 'start', example, '-H', '127.0.0.1', '-p', String(port)], {
      ...env,
      REDIS_URL: redis.url,
      CACHE_DIR: path.join(work, `cache-${name}`),
    });
    instances.push(instance);
    urls.push(`http://127.0.0.1:${port}`);
    await waitForHttp(`http://127.0.0.1:${port}/api/greeting`, instance);
  }
});

test.afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  await redis?.stop();
  rmSync(work, { recursive: true, force: true });
});

const greeting = async (url: string) => (await (await fetch(url)).text()).match(/<h1>([^<]*)<\/h1>/)?.[1];
/** B's page, served from the cache: the file changed behind its back does not show. */
async function cachedOnB(text: string) {
  await expect.poll(() => greeting(urls[1])).toBe(text);
  writeFileSync(greetingFile, 'changed behind the cache\n');
  expect(await greeting(urls[1])).toBe(text);
}
const post = (text: string, mode: 'max' | 'expire') =>
  fetch(`${urls[0]}/api/greeting`, { method: 'POST', body: JSON.stringify({ text, mode }) }).then((response) => response.json());

test('updateTag in a Server Action on A: its own response and B show the new greeting at once', async ({ page }) => {
  await cachedOnB('Hello');
  await page.goto(urls[0]);
  await page.getByLabel('Greeting').fill('Saved on A');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Saved on A');
  await expectFreshAtOnce(async () => (await greeting(urls[1])) === 'Saved on A', 'B after updateTag on A');
});

test("revalidateTag 'max' on A: B serves the old greeting once, then the new one", async () => {
  await cachedOnB('Saved on A');
  expect(await post('Max on A', 'max')).toEqual({ status: 'applied' });
  await expectStaleThenFresh(async () => (await greeting(urls[1])) === 'Max on A', "B after 'max' on A");
});

test('revalidateTag expire on A: B serves the new greeting on its first request', async () => {
  await cachedOnB('Max on A');
  expect(await post('Expired on A', 'expire')).toEqual({ status: 'applied' });
  await expectFreshAtOnce(async () => (await greeting(urls[1])) === 'Expired on A', 'B after expire on A');
});
