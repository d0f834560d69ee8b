// The cache's files when the disk fills: a write cut short never costs a record written after it, what the tag store
// and the edge purger acknowledged survives SIGKILL, and no temporary file outlives a failed write or a restart.
// A full disk is reproduced with a file size limit (prlimit) on a store in a process of its own (store-process.mjs):
// the kernel then cuts a write short and fails the rest (EFBIG), as a full disk does (ENOSPC).
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { edgePurger } from '../edge.mjs';
import { EntryStore } from '../entry-store.mjs';
import { tagOp } from '../tag-state.mjs';
import { TagStore } from '../tag-store.mjs';
import { freePort } from './redis-server';

const SECRET = 'a-purge-secret-for-tests';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ntc-disk-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const temporaryFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.tmp'));

let prlimit = true;
try {
  execFileSync('prlimit', ['--version']);
} catch {
  prlimit = false;
}

/** store-process.mjs on `dir`: `ask` sends it a command and resolves with its answer. */
function storeProcess(dir: string) {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'store-process.mjs')], {
    env: { ...process.env, DIR: dir },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const exited = once(child, 'exit');
  cleanups.push(() => child.kill('SIGKILL'));
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async ask(command: Record<string, unknown>) {
      child.stdin.write(`${JSON.stringify(command)}\n`);
      const { value, done } = await answers.next();
      if (done) throw new Error('the store process ended');
      return JSON.parse(value);
    },
    /** Writes past `bytes` are cut short and fail, as on a disk with no room left; 'unlimited' makes room again. */
    limitFileSize(bytes: number | 'unlimited') {
      execFileSync('prlimit', ['--pid', String(child.pid), `--fsize=${bytes}:`]);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('the tag journal on a full disk', () => {
  it.skipIf(!prlimit)('an invalidation confirmed after a write the disk cut short survives SIGKILL and a restart', async () => {
    const dir = tempDir();
    const journal = path.join(dir, 'tags.jsonl');
    const store = storeProcess(dir);
    expect(await store.ask({ do: 'open' })).toEqual({});
    const before = statSync(journal).size;
    store.limitFileSize(before + 20);
    expect(await store.ask({ do: 'update', tags: ['post:1'] })).toEqual({ error: 'EFBIG' });
    expect(statSync(journal).size, 'the record was cut short, as observed').toBe(before + 20);

    store.limitFileSize('unlimited'); // the filler is deleted
    expect(await store.ask({ do: 'update', tags: ['post:2'] })).toEqual({ status: 'applied' });
    await store.kill();

    const restarted = new TagStore({ redis: null, dir, prefix: 'disk' });
    expect(restarted.state('post:2'), 'the confirmed invalidation is still known').toBeDefined();
    expect(readFileSync(journal, 'utf8').endsWith('\n')).toBe(true);
  });

  it('a line cut short at the journal end does not swallow the record appended after it', async () => {
    const dir = tempDir();
    const store = new TagStore({ redis: null, dir, prefix: 'disk' });
    appendFileSync(path.join(dir, 'tags.jsonl'), '{"o":{"id":"torn","tags":["post:'); // what a crash left
    await store.update(['post:3']);
    expect(new TagStore({ redis: null, dir, prefix: 'disk' }).state('post:3')).toBeDefined();
  });

  it.skipIf(!prlimit)('a store whose journal cannot be rewritten (no room) starts with every invalidation in it and leaves no temporary file', async () => {
    const dir = tempDir();
    const journal = path.join(dir, 'tags.jsonl');
    const records = Array.from({ length: 40 }, (_, n) => `${JSON.stringify({ o: tagOp([`post:${n}`], undefined, Date.now(), `op-${n}`) })}\n`).join('');
    writeFileSync(journal, records);
    const store = storeProcess(dir);
    store.limitFileSize(1024);
    expect(await store.ask({ do: 'open' })).toEqual({});
    expect(await store.ask({ do: 'state', tag: 'post:39' })).toMatchObject({ state: { expired: expect.any(Number) } });
    expect(temporaryFiles(dir)).toEqual([]);
    expect(readFileSync(journal, 'utf8'), 'the journal is as it was').toBe(records);
  });

  it('removes at start the temporary files a crash left beside the journals', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'tags.jsonl.4242.tmp'), '{"s":{');
    writeFileSync(path.join(dir, 'edge-purges.jsonl.4242.tmp'), '{"add":');
    new TagStore({ redis: null, dir, prefix: 'disk' }).onInvalidation(edgePurger({ url: 'http://127.0.0.1:9/', secret: SECRET }, { dir }));
    expect(temporaryFiles(dir)).toEqual([]);
  });
});

describe('the pending edge purges on a full disk', () => {
  it('a purge added after a line cut short is still sent after a restart', async () => {
    const dir = tempDir();
    const first = new TagStore({ redis: null, dir, prefix: 'disk' });
    first.onInvalidation(edgePurger({ url: `http://127.0.0.1:${await freePort()}/`, secret: SECRET }, { dir }));
    expect((await first.update(['post:4'], { expire: 0 })).status).toBe('queued');
    appendFileSync(path.join(dir, 'edge-purges.jsonl'), '{"add":{"id":"torn","tags":["po'); // what a full disk left
    expect((await first.update(['post:5'], { expire: 0 })).status).toBe('queued');

    const received: string[] = [];
    const edge = http.createServer((req, res) => {
      received.push(String(req.headers['x-edge-tags']));
      res.end('Purged');
    });
    await new Promise<void>((resolve) => edge.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => edge.close(resolve)));
    const { port } = edge.address() as import('node:net').AddressInfo;
    edgePurger({ url: `http://127.0.0.1:${port}/`, secret: SECRET }, { dir });
    await expect.poll(() => received.toSorted(), { timeout: 5_000 }).toEqual(['post:4', 'post:5']);
  });
});

describe('the entry files on a full disk', () => {
  it.skipIf(!prlimit)('a write the disk refuses leaves no temporary file, and one a crash left is removed before the next write', async () => {
    const dir = tempDir();
    const pages = path.join(dir, 'pages');
    const store = storeProcess(dir);
    store.limitFileSize(4096);
    expect(await store.ask({ do: 'set', key: '/big', bytes: 10_000 })).toEqual({ layer: 'memory' });
    expect(readdirSync(pages)).toEqual([]);
    await store.kill();

    writeFileSync(path.join(pages, 'an-entry.4242.1700000000000.tmp'), 'half an entry');
    const restarted = new EntryStore({ layer: 'pages', redis: null, dir, prefix: 'disk', memoryBytes: 1 << 20, maxEntries: 100 });
    expect(await restarted.set('/small', { timestamp: Date.now() }, 60)).toBe('file');
    expect(readdirSync(pages)).toHaveLength(1);
    expect(temporaryFiles(pages)).toEqual([]);
  });
});
