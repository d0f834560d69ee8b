// The load balancer `npm run cluster` puts in front of the instances (deploy/nginx/cluster.conf.template, run by
// scripts/cluster-env.ts), tested with the real nginx against two small HTTP servers; and the Redis check, against a
// real redis-server of our own on another port.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/db/embedded';
import { checkServerActionsKey, findNginx, pingRedis, requireRedis, startNginx, type Nginx } from '@/scripts/cluster-env';

// A page shell is several KB: with proxy_buffering on, nginx was measured to hold such a first chunk back.
const FIRST_CHUNK_PADDING = 16 * 1024;

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  bodyBytes: number;
}

/** An upstream that answers with its name and what it received; /stream sends a first chunk and waits. */
function upstream(name: string, hold: { release?: () => void }) {
  let hits = 0;
  const server = http.createServer((req, res) => {
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => (bodyBytes += chunk.length));
    req.on('end', () => {
      hits += 1;
      if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write(`first chunk\n${'x'.repeat(FIRST_CHUNK_PADDING)}`);
        // The rest only once the client has seen the first chunk: a buffering proxy never lets that happen.
        hold.release = () => res.end('rest\n');
        return;
      }
      const seen: Seen = { method: req.method!, url: req.url!, headers: req.headers, bodyBytes };
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=600', 'x-name': name, 'x-hits': String(hits) });
      res.end(JSON.stringify(seen));
    });
  });
  return server;
}

const listen = (server: http.Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

const haveNginx = findNginx() !== null;

describe.skipIf(!haveNginx && !process.env.CI)('nginx in front of two instances', () => {
  const hold: { release?: () => void } = {};
  const servers = { a: upstream('a', hold), b: upstream('b', hold) };
  const ports = { a: 0, b: 0 };
  let nginx: Nginx;
  let origin: string;

  beforeAll(async () => {
    ports.a = await listen(servers.a);
    ports.b = await listen(servers.b);
    const port = await freePort();
    nginx = await startNginx({
      port,
      upstreams: [
        { name: 'a', address: `127.0.0.1:${ports.a}` },
        { name: 'b', address: `127.0.0.1:${ports.b}` },
      ],
      log: () => {},
    });
    origin = nginx.url;
  });
  afterAll(async () => {
    await nginx?.stop();
    for (const s of Object.values(servers)) s.close();
  });

  it('alternates between the instances and says which one answered', async () => {
    const answered: string[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${origin}/page`);
      const name = response.headers.get('x-name')!;
      expect(response.headers.get('x-upstream')).toBe(`127.0.0.1:${ports[name as 'a' | 'b']}`);
      answered.push(name);
    }
    expect(answered.join('')).toMatch(/^(ab){3}$|^(ba){3}$/);
  });

  it('passes the client address, scheme and host, and drops the forwarded headers a client made up', async () => {
    const response = await fetch(`${origin}/x?y=1`, {
      headers: { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-host': 'evil.example', forwarded: 'for=203.0.113.9' },
    });
    const seen = (await response.json()) as Seen;
    const hostPort = new URL(origin).host;
    expect(seen.url).toBe('/x?y=1');
    expect(seen.headers.host).toBe(hostPort);
    expect(seen.headers['x-forwarded-host']).toBe(hostPort);
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers.forwarded).toBeUndefined();
  });

  it('lets a request name its instance', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${origin}/page`, { headers: { 'x-ntc-instance': 'b' } });
      expect(response.headers.get('x-name')).toBe('b');
    }
  });

  it('caches nothing: every request reaches an instance, even a public, cacheable one', async () => {
    const hits = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${origin}/cacheable`, { headers: { 'x-ntc-instance': 'a' } });
      hits.add(response.headers.get('x-hits')!);
    }
    expect(hits.size).toBe(4);
  });

  it('takes a Server Action body of 1.5 MB (Next.js allows 1 MB of payload)', async () => {
    const body = new Uint8Array(1.5 * 1024 * 1024);
    const response = await fetch(`${origin}/action`, { method: 'POST', body });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Seen).bodyBytes).toBe(body.length);
  });

  it('streams: the first chunk reaches the client before the response is complete', async () => {
    const response = await fetch(`${origin}/stream`);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const firstChunk = `first chunk\n${'x'.repeat(FIRST_CHUNK_PADDING)}`;
    let received = '';
    const timeout = setTimeout(() => void reader.cancel(new Error('held back')), 3_000);
    while (received.length < firstChunk.length) {
      const r = await reader.read();
      if (r.done) break;
      received += decoder.decode(r.value, { stream: true });
    }
    clearTimeout(timeout);
    expect(received, 'the first chunk was held back by the proxy').toBe(firstChunk);
    hold.release!();
    for (let r = await reader.read(); !r.done; r = await reader.read()) received += decoder.decode(r.value, { stream: true });
    expect(received).toBe(`${firstChunk}rest\n`);
  });

  it('stops, and leaves nothing behind', async () => {
    const { prefix, proc } = nginx;
    await nginx.stop();
    expect(proc.running()).toBe(false);
    expect(await proc.exited).toBe(0);
    expect(existsSync(prefix)).toBe(false);
    await expect(fetch(`${origin}/page`)).rejects.toThrow();
  });
});

describe('the Server Actions key check', () => {
  it('accepts base64 of 16, 24 or 32 bytes and nothing else', () => {
    for (const n of [16, 24, 32]) expect(checkServerActionsKey(Buffer.alloc(n, 7).toString('base64'))).toBeTruthy();
    for (const bad of [Buffer.alloc(31).toString('base64'), 'not base64!', '']) expect(() => checkServerActionsKey(bad)).toThrow(/base64/);
  });
});

const haveRedis = existsSync('/usr/bin/redis-server');

describe.skipIf(!haveRedis && !process.env.CI)('the Redis check', () => {
  let redis: ChildProcess;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    // Our own server, with a password, never the shared one on 6379.
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--requirepass', 's3cret'], {
      stdio: 'ignore',
    });
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      if (await pingRedis(`redis://:s3cret@127.0.0.1:${port}`).then(() => true, () => false)) return;
    }
    throw new Error('our redis-server did not start');
  });
  afterAll(() => {
    redis?.kill('SIGKILL');
  });

  it('passes when Redis answers, with the password from the URL', async () => {
    await expect(pingRedis(`redis://:s3cret@127.0.0.1:${port}`)).resolves.toBeUndefined();
    await expect(pingRedis(`redis://default:s3cret@127.0.0.1:${port}`)).resolves.toBeUndefined();
  });

  it("reports Redis's refusal", async () => {
    await expect(pingRedis(`redis://127.0.0.1:${port}`)).rejects.toThrow(/NOAUTH/);
    await expect(pingRedis(`redis://:wrong@127.0.0.1:${port}`)).rejects.toThrow(/WRONGPASS|invalid password/i);
  });

  it('refuses with the way to start Redis when nothing answers, without printing the password', async () => {
    const closed = await freePort();
    const error = await requireRedis(`redis://:hunter2@127.0.0.1:${closed}`).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect((error as Error).message).toMatch(/redis-server/);
    expect((error as Error).message).not.toContain('hunter2');
  });
});
