// Saves while the database cannot answer in time: the session read (the first query of every Server Action) waits
// for a connection or a lock past the app's bounds. The author gets the form back with a clear message and their
// text, never a bare 500 that drops what they typed.
import { expect, test, type Page } from '@playwright/test';
import { db } from './support/db';
import { ADA, signedInPage } from './support/studio';

const SAVES = 40;

/** The editor's own Server Action request for a save, held back so a test can send it when and as often as it likes. */
async function capturedSave(page: Page, postId: number) {
  const captured = new Promise<{ url: string; headers: Record<string, string>; body: Buffer }>((resolve) => {
    void page.route(`**/studio/posts/${postId}`, async (route) => {
      const request = route.request();
      if (request.method() !== 'POST') return route.continue();
      const headers = await request.allHeaders();
      delete headers['content-length'];
      resolve({ url: request.url(), headers, body: request.postDataBuffer()! });
      await route.abort();
    });
  });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const save = await captured;
  await page.unroute(`**/studio/posts/${postId}`);
  return async () => {
    const response = await page.request.fetch(save.url, { method: 'POST', headers: save.headers, data: save.body, timeout: 60_000 });
    return { status: response.status(), text: await response.text() };
  };
}

test(`${SAVES} simultaneous saves while the session cannot be read in time: each keeps the text, none is a 500`, async ({ browser }) => {
  test.setTimeout(120_000);
  const [post] = await db()`select p.id, p.version from posts p join authors a on a.id = p.author_id
    where a.slug = 'ada-okafor' order by p.id limit 1`;
  const page = await signedInPage(browser, ADA);
  await page.goto(`/studio/posts/${post.id}`);
  await expect(page.getByTestId('preview').filter({ visible: true })).not.toContainText('needs JavaScript');
  const title = `Kept while busy ${Date.now()}`;
  await page.getByLabel('Title').fill(title);
  const send = await capturedSave(page, post.id);

  // Sessions locked for longer than the app waits (statement_timeout 5 s, a connection 7 s): every save's session
  // read fails as the database being unavailable, the ones queued behind a busy pool included.
  const answers = await db().begin(async (tx) => {
    await tx`lock table "session" in access exclusive mode`;
    const sent = Promise.all(Array.from({ length: SAVES }, send));
    const unlocked = new Promise((resolve) => setTimeout(resolve, 9_000));
    await Promise.race([sent, unlocked]);
    return sent;
  });

  const statuses = answers.map((a) => a.status);
  expect(statuses.filter((s) => s !== 200), `statuses: ${statuses.join(' ')}`).toEqual([]);
  for (const answer of answers) {
    expect(answer.text).toContain('"status":"error"');
    expect(answer.text).toContain(title); // the author's text comes back in the form
  }
  expect((await db()`select version from posts where id = ${post.id}`)[0].version).toBe(post.version);

  // The database answers again: the same save goes through.
  const again = await send();
  expect(again.status).toBe(200);
  expect(again.text).toContain('"status":"saved"');
});
