// A small, real upstream: an inventory service with its own process, port and storage. It serves price and
// stock, lets them be changed over HTTP (or inventory/cli.ts), and announces every change to the app with a
// signed webhook (outbox.ts). Run: npx tsx inventory/server.ts — configuration in README.md next to this file.
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSender } from './outbox.js';
import { Store, type Mode, type Product, type Update } from './store.js';

export interface InventoryOptions {
  port?: number;
  host?: string;
  dataDir: string;
  webhookUrl?: string;
  webhookSecret?: string;
  adminToken?: string;
  latencyMs?: number;
  /** First retry delay (doubles each time); tests make it small. */
  retryBaseMs?: number;
  /** How long one delivery attempt may take. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

const MAX_BODY = 16 * 1024;
const MAX_LATENCY_MS = 60_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

type Handler = (req: http.IncomingMessage, params: string[]) => Promise<unknown> | unknown;

export async function startInventoryServer(options: InventoryOptions) {
  const { host = '127.0.0.1', webhookUrl, webhookSecret, adminToken, log = defaultLog } = options;
  checkWebhookConfig(webhookUrl, webhookSecret);
  let latencyMs = options.latencyMs ?? 0;
  const store = new Store(options.dataDir);
  let sender: ReturnType<typeof startSender> | null = null; // started once listening
  // Compare hashes: equal lengths for timingSafeEqual, and no early exit that reveals the token's length.
  const tokenHash = adminToken ? sha256(adminToken) : undefined;

  function requireAdmin(req: http.IncomingMessage) {
    if (!tokenHash) return;
    const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (given === undefined || !timingSafeEqual(sha256(given), tokenHash)) {
      throw new HttpError(401, 'missing or wrong admin token', { 'www-authenticate': 'Bearer' });
    }
  }

  // Validate, then read and change the product with no `await` in between: two concurrent adjustments
  // cannot both start from the same stock.
  async function change(req: http.IncomingMessage, sku: string, fields: string[], toUpdate: (body: Body, product: Product) => Update) {
    requireAdmin(req);
    const body = await readJson(req, fields);
    const mode = modeOf(body);
    const product = store.product(sku);
    if (!product) throw new HttpError(404, `no product ${sku}`);
    const updated = store.change(sku, toUpdate(body, product), sender ? mode : null);
    sender?.kick();
    log(`changed ${sku}: price ${updated.priceCents}, stock ${updated.stock}${sender ? `, announced (${mode})` : ''}`);
    return updated;
  }

  const routes: [RegExp, Record<string, Handler>][] = [
    [/^\/health$/, { GET: () => ({ ok: true }) }],
    [/^\/products$/, { GET: () => ({ products: store.products() }) }],
    [
      /^\/products\/([^/]+)$/,
      {
        GET: (_req, [sku]) => store.product(sku) ?? notFound(`no product ${sku}`),
        PATCH: (req, [sku]) =>
          change(req, sku, ['priceCents', 'stock', 'mode'], (body) => {
            const update: Update = {};
            if (body.priceCents !== undefined) update.priceCents = count(body.priceCents, 'priceCents');
            if (body.stock !== undefined) update.stock = count(body.stock, 'stock');
            if (Object.keys(update).length === 0) throw new HttpError(400, 'give priceCents and/or stock');
            return update;
          }),
      },
    ],
    [
      /^\/products\/([^/]+)\/adjust$/,
      {
        POST: (req, [sku]) =>
          change(req, sku, ['delta', 'mode'], (body, product) => {
            if (!Number.isSafeInteger(body.delta)) throw new HttpError(400, 'delta must be a whole number');
            const stock = product.stock + (body.delta as number);
            if (stock < 0) throw new HttpError(409, `only ${product.stock} of ${sku} in stock`);
            return { stock: count(stock, 'stock') };
          }),
      },
    ],
    [/^\/admin\/outbox$/, { GET: () => ({ pending: store.pending(), dead: store.dead() }) }],
    [
      /^\/admin\/latency$/,
      {
        POST: async (req) => {
          requireAdmin(req);
          const { ms } = await readJson(req, ['ms']);
          if (count(ms, 'ms') > MAX_LATENCY_MS) throw new HttpError(400, `ms must be at most ${MAX_LATENCY_MS}`);
          latencyMs = ms as number;
          log(`latency set to ${latencyMs} ms`);
          return { latencyMs };
        },
      },
    ],
  ];

  async function respond(req: http.IncomingMessage): Promise<unknown> {
    const { pathname } = new URL(req.url ?? '/', 'http://inventory');
    for (const [pattern, handlers] of routes) {
      const match = pattern.exec(pathname);
      if (!match) continue;
      const method = req.method ?? '';
      const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
      if (!handler) throw new HttpError(405, `${method} is not supported here`, { allow: Object.keys(handlers).join(', ') });
      // The artificial latency applies to reads (what the app fetches), not to health checks that wait for startup.
      if (method === 'GET' && pathname !== '/health' && latencyMs > 0) await sleep(latencyMs);
      return handler(req, match.slice(1).map(decodeSegment));
    }
    return notFound('not found');
  }

  const server = http.createServer(async (req, res) => {
    let status = 200;
    let body: unknown;
    let headers: Record<string, string> = {};
    try {
      body = await respond(req);
    } catch (error) {
      if (error instanceof HttpError) {
        ({ status, headers } = error);
        body = { error: error.message };
      } else {
        log(`error: ${error instanceof Error ? error.stack : error}`);
        status = 500;
        body = { error: 'internal error' };
      }
    }
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject); // e.g. EADDRINUSE: reject instead of crashing with an unhandled 'error'
    server.listen(options.port ?? 4100, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  // Only now, so that a failed start (port taken) leaves nothing running.
  if (webhookUrl && webhookSecret) {
    sender = startSender(store, { url: webhookUrl, secret: webhookSecret, retryBaseMs: options.retryBaseMs, timeoutMs: options.timeoutMs, log });
  }
  if (!sender) log('INVENTORY_WEBHOOK_URL is not set: changes are stored, but no deliveries are queued');
  else if (store.pending().length > 0) log(`resuming ${store.pending().length} pending deliveries`);

  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    store,
    /** Stops accepting connections, lets requests in flight finish (2 s at most), stops the sender. */
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const force = setTimeout(() => server.closeAllConnections(), 2000);
        await closed;
        clearTimeout(force);
        await sender?.stop();
      })();
      return closing;
    },
  };
}

type Body = Record<string, unknown>;

/** The request body as a JSON object with only the `allowed` fields; 413 past MAX_BODY bytes. */
function readJson(req: http.IncomingMessage, allowed: string[]): Promise<Body> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    // Past the limit keep reading, without storing: the client is still sending and would otherwise see a
    // reset connection instead of our 413. (Node's requestTimeout bounds how long that can go on.)
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return reject(new HttpError(413, `body larger than ${MAX_BODY} bytes`));
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        return reject(new HttpError(400, 'body is not valid JSON'));
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return reject(new HttpError(400, 'body must be a JSON object'));
      const unknown = Object.keys(body).find((key) => !allowed.includes(key));
      if (unknown !== undefined) return reject(new HttpError(400, `unknown field "${unknown}" (allowed: ${allowed.join(', ')})`));
      resolve(body as Body);
    });
    req.on('error', () => reject(new HttpError(400, 'request body was cut off')));
  });
}

function count(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new HttpError(400, `${name} must be a whole number ≥ 0`);
  return value as number;
}

function modeOf(body: Body): Mode {
  if (body.mode === undefined) return 'max';
  if (body.mode === 'max' || body.mode === 'expire') return body.mode;
  throw new HttpError(400, 'mode must be "max" or "expire"');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'malformed URL encoding in path');
  }
}

function notFound(message: string): never {
  throw new HttpError(404, message);
}

function checkWebhookConfig(url: string | undefined, secret: string | undefined) {
  if (!url) return;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {}
  if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') throw new Error('INVENTORY_WEBHOOK_URL must be an http(s) URL');
  if (!secret) throw new Error('INVENTORY_WEBHOOK_SECRET is required when INVENTORY_WEBHOOK_URL is set');
  // Same rule as the app's receiver. The message never repeats the secret.
  if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret) || Buffer.from(secret.slice(6), 'base64').length < 16) {
    throw new Error('INVENTORY_WEBHOOK_SECRET must look like whsec_<base64 of at least 16 bytes>');
  }
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const defaultLog = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

/** Options from INVENTORY_* environment variables; throws a readable error for a bad value. */
export function configFromEnv(env: Record<string, string | undefined> = process.env): InventoryOptions {
  const whole = (name: string, fallback: number, max: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) > max) throw new Error(`${name} must be a whole number from 0 to ${max}`);
    return Number(raw);
  };
  return {
    port: whole('INVENTORY_PORT', 4100, 65_535),
    host: env.INVENTORY_HOST || '127.0.0.1',
    dataDir: path.resolve(env.INVENTORY_DATA_DIR || '.data/inventory'),
    webhookUrl: env.INVENTORY_WEBHOOK_URL || undefined,
    webhookSecret: env.INVENTORY_WEBHOOK_SECRET || undefined,
    adminToken: env.INVENTORY_ADMIN_TOKEN || undefined,
    latencyMs: whole('INVENTORY_LATENCY_MS', 0, MAX_LATENCY_MS),
  };
}

// Entry point, only when run directly (importing this module, as the tests do, starts nothing).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let service: Awaited<ReturnType<typeof startInventoryServer>>;
  try {
    service = await startInventoryServer(configFromEnv());
  } catch (error) {
    console.error(`inventory service: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
  defaultLog(`inventory service listening on ${service.url}`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    // A second Ctrl-C quits at once. Safe: state writes are synchronous, so none is ever left half done.
    if (stopping) process.exit(1);
    stopping = true;
    defaultLog(`${signal}: shutting down`);
    await service.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
