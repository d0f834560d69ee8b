// Shared pieces for the inventory tests: temp data dirs, a stand-in webhook receiver, a service on a free port.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startInventoryServer, type InventoryOptions } from '../server.js';
import type { Delivery } from '../store.js';

export const SECRET = `whsec_${Buffer.from('inventory-test-secret-32-bytes!!').toString('base64')}`;

/** Registered cleanups, run (newest first) by each test file's afterEach. */
const cleanups: (() => unknown)[] = [];
export const onCleanup = (fn: () => unknown) => cleanups.push(fn);
export async function cleanup() {
  for (const fn of cleanups.splice(0).reverse()) await fn();
}

export function tempDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'inventory-test-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface Received {
  headers: Record<string, string>;
  body: string;
  at: number;
}
type Reply = number | { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/**
 * A stand-in for the app's /api/revalidate. It answers with `replies` in turn ('hang' = never answer), then
 * 200. `port` lets a test bring a receiver back up at the address a service already knows.
 */
export async function receiver(replies: Reply[] = [], port = 0) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body, at: Date.now() });
      const reply = replies.shift() ?? 200;
      if (reply === 'hang') return;
      const { status, headers = {}, body: text = '{"ok":true}' } = typeof reply === 'number' ? { status: reply } : reply;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const stop = () => {
    server.closeAllConnections(); // including any request left hanging
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  onCleanup(() => (server.listening ? stop() : undefined));
  const address = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${address.port}/api/revalidate`, port: address.port, received, stop };
}

/** A URL where nothing listens (yet): a port the OS just handed out and that is free again. */
export async function downReceiverUrl() {
  const { url, port, stop } = await receiver();
  await stop();
  return { url, port };
}

export async function inventory(options: Partial<InventoryOptions> = {}) {
  const service = await startInventoryServer({ port: 0, dataDir: tempDir(), retryBaseMs: 20, log: () => {}, ...options });
  onCleanup(() => service.close());
  return service;
}

/** Polls until `check` is true; fails the test after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms: ${check}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function send(url: string, method: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function outbox(serviceUrl: string): Promise<{ pending: Delivery[]; dead: Delivery[] }> {
  return (await fetch(`${serviceUrl}/admin/outbox`)).json();
}
