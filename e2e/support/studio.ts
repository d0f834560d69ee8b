import { expect, type Browser, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../../db/seed-data';

export const ADA = 'ada@example.com'; // author
export const MATEO = 'mateo@example.com'; // author
export const LENA = 'lena@example.com'; // editor

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await signInFrom(page, '/sign-in', email, password);
  await expect(page.getByTestId('signed-in-as')).toBeVisible();
}

/** Signs in from `url` (a sign-in page, with or without `?next=`), waiting until the page has left it. */
export async function signInFrom(page: Page, url: string, email = ADA, password = DEMO_PASSWORD) {
  await page.goto(url);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

export async function signedInPage(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/** Fills the post form's main fields. */
export async function fillPost(page: Page, { title, body, category = 'Databases' }: { title: string; body: string; category?: string }) {
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Body (Markdown)').fill(body);
  await page.getByLabel('Category').selectOption({ label: category });
}
