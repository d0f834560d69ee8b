// A frozen database: uncached pages and the studio answer quickly with a clear error page, and the app recovers by
// itself once the database is back (issue 10, item 10). Freezes only a throwaway embedded PostgreSQL that the test
// runner created (data directory under the temp dir, `ntc-embedded-…`); on any other database it is skipped.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { db } from './support/db';
import { ADA, signedInPage } from './support/studio';

async function throwawayDataDirectory(): Promise<string | null> {
  const [{ data_directory: dir }] = await db()`show data_directory`;
  return /[\\/]ntc-embedded-[^\\/]+[\\/]/.test(dir) ? dir : null;
}

function serverProcesses(dir: string): number[] {
  const postmaster = Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0);
  return [postmaster, ...children];
}

test('a frozen database gets a clear error page within seconds, and the app recovers by itself', async ({ browser }) => {
  const dir = await throwawayDataDirectory();
  test.skip(!dir, 'only freezes the embedded database the test runner made');
  test.setTimeout(120_000);
  const reader = await browser.newPage();
  await reader.goto('/'); // a first request, so the sign-in below does not also wait for a cold server
  const studio = await signedInPage(browser, ADA);
  // Never requested before, so no cache entry can answer for the database.
  const uncached = `/posts/outage-${Date.now()}`;

  const frozen = serverProcesses(dir!);
  frozen.forEach((pid) => process.kill(pid, 'SIGSTOP'));
  try {
    for (const [page, url] of [[reader, uncached], [studio, '/studio']] as const) {
      const started = Date.now();
      const response = await page.goto(url);
      // A partially prerendered page has sent its static shell (and a 200) before the database part fails,
      // so the status may be 200 or 500: what matters is a prompt, clear page.
      expect([200, 500]).toContain(response?.status());
      await expect(page.getByTestId('error-page').filter({ visible: true })).toContainText('The database is not answering');
      expect(Date.now() - started).toBeLessThan(20_000);
      await expect(page.getByRole('button', { name: 'Try again' }).filter({ visible: true })).toBeVisible();
    }
  } finally {
    frozen.forEach((pid) => process.kill(pid, 'SIGCONT'));
  }

  // Back by itself: no restart of the app.
  await expect.poll(async () => (await reader.goto(uncached))?.status(), { timeout: 30_000 }).toBe(404);
  await expect.poll(async () => (await studio.goto('/studio'))?.status(), { timeout: 30_000 }).toBe(200);
  await expect(studio.getByTestId('signed-in-as')).toBeVisible();
});
