// Sending a page's real form by hand, as a script would: every field the browser would send (the hidden `$ACTION_…`
// fields that name the Server Action included), with some values replaced.
import type { APIRequestContext, Browser, BrowserContext, Locator } from '@playwright/test';

/** A page as the server renders it (no JavaScript), for the same session as `context`. */
export async function serverRenderedPage(browser: Browser, context?: BrowserContext) {
  const plain = await browser.newContext({ javaScriptEnabled: false, storageState: context ? await context.storageState() : undefined });
  return plain.newPage();
}

/** The fields `form` would send, as the browser collects them (the pressed button's own value is not included). */
export async function formFields(form: Locator): Promise<[string, string][]> {
  return form.evaluate((f) => Array.from(new FormData(f as HTMLFormElement), ([k, v]) => [k, String(v)] as [string, string]));
}

/** Posts fields as a plain HTML form submission would (multipart, no Next-Action header), without following redirects. */
export async function postForm(request: APIRequestContext, url: string, fields: [string, string][], replace: Record<string, string>) {
  const body = new FormData();
  for (const [name, value] of fields) if (!(name in replace)) body.append(name, value);
  for (const [name, value] of Object.entries(replace)) body.append(name, value);
  const origin = new URL(process.env.BASE_URL ?? 'http://127.0.0.1:3000').origin;
  return request.post(url, { multipart: body, headers: { origin }, maxRedirects: 0 });
}

