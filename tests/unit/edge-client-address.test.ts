// Behind the edge (the real VCL in a real varnishd), the app sees each client's own address, with the TRUST_PROXY the
// launchers give it (appEnvBehindEdge): otherwise every client would be 127.0.0.1, and one guesser's failed sign-ins
// would refuse everyone's. Needs varnishd (skipped without it, as is the edge phase).
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/db/embedded';
import { compileTrust, resolveClientAddress } from '@/lib/client-address';
import { appEnvBehindEdge, findVarnishd, newPurgeSecret, startEdge, type Edge } from '@/scripts/edge-env';

const varnishd = findVarnishd();
let edge: Edge | undefined;
let app: http.Server;
let dir: string;

beforeAll(async () => {
  if (!varnishd) return;
  const purgeSecret = newPurgeSecret();
  const edgePort = await freePort();
  // The app's side: what it resolves as the client under the environment a launcher gives it behind the edge.
  const trust = compileTrust(appEnvBehindEdge({ edgePort, purgeSecret, siteUrl: 'http://localhost', env: {} }).TRUST_PROXY);
  app = http.createServer((request, response) => {
    response.setHeader('cache-control', 'private, no-store');
    response.end(resolveClientAddress(request, trust));
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  // startEdge reads the build's revalidation id; a stand-in build holding only that.
  dir = mkdtempSync(path.join(os.tmpdir(), 'ntc-edge-address-'));
  writeFileSync(path.join(dir, 'prerender-manifest.json'), JSON.stringify({ preview: { previewModeId: 'a1b2c3d4e5f60718' } }));
  const port = (app.address() as import('node:net').AddressInfo).port;
  edge = await startEdge({ port: edgePort, backends: [{ name: 'app', host: '127.0.0.1', port }], purgeSecret, distDir: dir, memoryMb: 32, log: () => {} });
}, 60_000);

afterAll(async () => {
  await edge?.stop();
  await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A GET through the edge from a loopback address of our choosing (Linux routes all of 127.0.0.0/8 to lo). */
function seenAs(localAddress: string, headers: Record<string, string> = {}) {
  return new Promise<string>((resolve, reject) => {
    const url = new URL(`/whoami?${Math.random()}`, edge!.url);
    const request = http.request(url, { localAddress, headers, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve(body));
    });
    request.on('error', reject);
    request.end();
  });
}

describe.skipIf(!varnishd)('the client address behind the edge', () => {
  it('is each client itself, not the edge', async () => {
    expect(await seenAs('127.0.0.7')).toBe('127.0.0.7');
    expect(await seenAs('127.0.0.8')).toBe('127.0.0.8');
  });

  it('is not what a client writes into X-Forwarded-For (the edge replaces it with the real one; one hop is trusted)', async () => {
    expect(await seenAs('127.0.0.9', { 'x-forwarded-for': '203.0.113.9' })).toBe('127.0.0.9');
    expect(await seenAs('127.0.0.9', { 'x-forwarded-for': '203.0.113.9, 198.51.100.1' })).toBe('127.0.0.9');
  });

  it("an operator's own TRUST_PROXY wins", () => {
    const env = { TRUST_PROXY: '10.0.0.5' };
    expect(appEnvBehindEdge({ edgePort: 1, purgeSecret: 'x', siteUrl: 'http://localhost', env }).TRUST_PROXY).toBe('10.0.0.5');
  });
});
