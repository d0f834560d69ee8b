// The client address as a real Node HTTP server sees it: requests come from several loopback addresses
// (Linux routes all of 127.0.0.0/8 to lo), with and without X-Forwarded-For, under several TRUST_PROXY settings.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress, clientLimitKey, compileTrust, installClientAddress, type Trust } from '@/lib/client-address';

let trust: Trust = compileTrust(undefined);
let server: http.Server;
let port: number;

beforeAll(async () => {
  installClientAddress((address, hop) => trust(address, hop));
  // Answers with what the app would read, from a web Headers object as route handlers and Server Actions get it.
  server = http.createServer((req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    res.end(clientAddress(headers));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function addressSeen(from: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, localAddress: from, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('client address', () => {
  it('by default is the socket peer: X-Forwarded-For, however rotated, changes nothing', async () => {
    trust = compileTrust(undefined);
    expect((await addressSeen('127.0.0.2')).body).toBe('127.0.0.2');
    for (const forged of ['203.0.113.1', '203.0.113.2, 198.51.100.7', 'garbage']) {
      expect((await addressSeen('127.0.0.2', { 'x-forwarded-for': forged })).body).toBe('127.0.0.2');
    }
  });

  it('cannot be set by sending our own stamp header', async () => {
    trust = compileTrust(undefined);
    const { body } = await addressSeen('127.0.0.3', { 'x-ntc-client-address': '203.0.113.9' });
    expect(body).toBe('127.0.0.3');
    // And a stamp without this process's token is no stamp at all.
    expect(clientAddress(new Headers({ 'x-ntc-client-address': 'token 203.0.113.9' }))).toBe('unknown');
  });

  it('behind trusted proxies (TRUST_PROXY=loopback) is the address the nearest proxy saw', async () => {
    trust = compileTrust('loopback');
    // nginx on loopback appends the peer it saw to whatever the client sent.
    expect((await addressSeen('127.0.0.4', { 'x-forwarded-for': '203.0.113.50, 198.51.100.7' })).body).toBe('198.51.100.7');
    expect((await addressSeen('127.0.0.4')).body).toBe('127.0.0.4');
  });

  it('trusts forwarded headers only from the configured hops', async () => {
    trust = compileTrust('10.0.0.0/8');
    expect((await addressSeen('127.0.0.5', { 'x-forwarded-for': '198.51.100.7' })).body).toBe('127.0.0.5');
    trust = compileTrust('1'); // a hop count, as Express reads it: the socket peer is the one proxy
    expect((await addressSeen('127.0.0.5', { 'x-forwarded-for': '203.0.113.1, 198.51.100.7' })).body).toBe('198.51.100.7');
  });

  it('stays a short, valid address whatever a trusted hop passes on, up to a 15 KB header', async () => {
    trust = compileTrust('loopback');
    const huge = `${'9'.repeat(15_000)}, 127.0.0.9`;
    const { status, body } = await addressSeen('127.0.0.6', { 'x-forwarded-for': huge });
    expect(status).toBe(200);
    expect(body).toBe('127.0.0.9'); // the last hop that named a real address
    trust = compileTrust(undefined);
    expect((await addressSeen('127.0.0.6', { 'x-forwarded-for': huge })).body).toBe('127.0.0.6');
  });

  it('reads TRUST_PROXY as Express reads trust proxy, and refuses what proxy-addr cannot parse', () => {
    expect(compileTrust('false')('127.0.0.1', 0)).toBe(false);
    expect(compileTrust('true')('203.0.113.1', 5)).toBe(true);
    expect([0, 1, 2].map((hop) => compileTrust('2')('203.0.113.1', hop))).toEqual([true, true, false]);
    expect(compileTrust('loopback, 10.0.0.0/8')('10.1.2.3', 0)).toBe(true);
    expect(() => compileTrust('not-an-address')).toThrow();
  });
});

describe('client limit key', () => {
  it('is the IPv4 address, or the /64 of an IPv6 one', () => {
    expect(clientLimitKey('198.51.100.7')).toBe('198.51.100.7');
    expect(clientLimitKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(clientLimitKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientLimitKey('2001:db8:1:2:bbbb::9')).toBe('2001:db8:1:2::/64');
    expect(clientLimitKey('unknown')).toBe('unknown');
  });
});
