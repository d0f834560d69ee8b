import { readFile, writeFile } from 'node:fs/promises';
import { cacheLife, cacheTag } from 'next/cache';

// The data: one line in a file every instance reads (GREETING_FILE), standing in for a database.
const file = () => process.env.GREETING_FILE ?? '/tmp/greeting.txt';

export async function getGreeting() {
  'use cache';
  cacheTag('greeting');
  cacheLife('max');
  const text = await readFile(/* turbopackIgnore: true */ file(), 'utf8').catch(() => 'Hello');
  return { text: text.trim(), renderedAt: new Date().toISOString() };
}

export async function setGreeting(text: string) {
  await writeFile(/* turbopackIgnore: true */ file(), `${text}\n`);
}
