// @ts-check
// A tag store and an entry store in a process of their own, driven one JSON line at a time on stdin (one answer a
// line on stdout), for tests that limit its file sizes (prlimit: a real write cut short, as a full disk cuts it) and
// end it with SIGKILL. Started by disk-full.test.ts with DIR set to the cache directory.
import { createInterface } from 'node:readline';
import { EntryStore } from '../entry-store.mjs';
import { TagStore } from '../tag-store.mjs';

const dir = /** @type {string} */ (process.env.DIR);
/** @type {TagStore | undefined} */
let tags;
/** @type {EntryStore<{ timestamp: number, html: string }> | undefined} */
let entries;

/** @type {Record<string, (command: any) => unknown>} */
const commands = {
  open: () => {
    tags = new TagStore({ redis: null, dir, prefix: 'disk' });
    return {};
  },
  update: async ({ tags: list }) => ({ status: (await /** @type {TagStore} */ (tags).update(list)).status }),
  state: ({ tag }) => ({ state: /** @type {TagStore} */ (tags).state(tag) ?? null }),
  set: async ({ key, bytes }) => {
    entries ??= new EntryStore({ layer: 'pages', redis: null, dir, prefix: 'disk', memoryBytes: 1 << 20, maxEntries: 100 });
    return { layer: await entries.set(key, { timestamp: Date.now(), html: 'x'.repeat(bytes) }, 60) };
  },
};

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line);
  let answer;
  try {
    answer = await commands[command.do](command);
  } catch (error) {
    answer = { error: /** @type {NodeJS.ErrnoException} */ (error).code ?? String(error) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
