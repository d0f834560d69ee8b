// A small, real upstream: an inventory service with its own port and storage. It serves price and stock,
// lets them be changed over HTTP (or inventory/cli.ts), and announces every change to the app with a signed
// webhook (outbox.ts). Run: npx tsx inventory/server.ts   (configuration: README.md in this folder)
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSender } from './outbox.ts';
import { Store, type Product } from './store.ts';

export interface InventoryOptions {
  port?: number;
  host?: string;
  dataDir: string;
  webhookUrl?: string;
  webhookSecret?: string;
  adminToken?: string;
  latencyMs?: number;
  retryBaseMs?: number;
  log?: (line: string) => void;
}

const MAX_BODY = 16 * 1024;

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    // Past the limit, keep reading without storing, so the client still gets its 413 on an intact connection.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY) return reject(new HttpError(413, `body larger than ${MAX_BODY} bytes`));
      try {
        const value = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error();
        resolve(value as Record<string, unknown>);
      } catch {
        reject(new HttpError(400, 'body must be a JSON object'));
      }
    });
    req.on('error', reject);
  });
}

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

function modeOf(body: Record<string, unknown>): 'max' | 'expire' {
  if (body.mode === undefined) return 'max';
  if (body.mode === 'max' || body.mode === 'expire') return body.mode;
  throw new HttpError(400, 'mode must be "max" or "expire"');
}

export async function startInventoryServer(options: InventoryOptions) {
  const { host = '127.0.0.1', dataDir, webhookUrl, webhookSecret, adminToken, retryBaseMs, log = console.log } = options;
  if (webhookUrl && !webhookSecret) throw new Error('INVENTORY_WEBHOOK_SECRET is required when INVENTORY_WEBHOOK_URL is set');
  let latencyMs = options.latencyMs ?? 0;
  const store = new Store(dataDir);
  const sender = webhookUrl ? startSender(store, { url: webhookUrl, secret: webhookSecret!, retryBaseMs, log }) : null;
  if (!sender) log('INVENTORY_WEBHOOK_URL is not set: changes are stored but nobody is notified');
  // Compare hashes, so the comparison takes the same time whatever the token's length.
  const tokenHash = adminToken ? createHash('sha256').update(adminToken).digest() : null;

  function requireAdmin(req: http.IncomingMessage) {
    if (!tokenHash) return;
    const given = createHash('sha256').update(req.headers.authorization?.replace(/^Bearer /, '') ?? '').digest();
    if (!timingSafeEqual(given, tokenHash)) throw new HttpError(401, 'missing or wrong admin token');
  }

  function change(sku: string, update: Partial<Pick<Product, 'priceCents' | 'stock'>>, mode: 'max' | 'expire') {
    const product = store.change(sku, update, sender ? { mode } : null);
    sender?.kick();
    log(`changed ${sku}: ${JSON.stringify(update)}`);
    return product;
  }

  async function route(req: http.IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? '/', 'http://inventory');
    const parts = url.pathname.split('/').filter(Boolean);
    const method = req.method ?? 'GET';
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) throw new HttpError(405, `use ${methods.join(' or ')}`, { allow: methods.join(', ') });
    };
    if (method === 'GET' && latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));

    if (url.pathname === '/health') {
      allow('GET');
      return { status: 200, body: { ok: true } };
    }
    if (url.pathname === '/products') {
      allow('GET');
      return { status: 200, body: { products: store.products() } };
    }
    if (parts[0] === 'products' && parts.length >= 2 && parts.length <= 3) {
      const sku = decodeURIComponent(parts[1]);
      if (parts.length === 2) allow('GET', 'PATCH');
      else if (parts[2] === 'adjust') allow('POST');
      else throw new HttpError(404, 'not found');
      const product = store.product(sku);
      if (!product) throw new HttpError(404, `no product ${sku}`);
      if (method === 'GET') return { status: 200, body: product };
      requireAdmin(req);
      const body = await readJson(req);
      const mode = modeOf(body);
      if (parts.length === 2) {
        const update: Partial<Product> = {};
        if (body.priceCents !== undefined) {
          if (!isCount(body.priceCents)) throw new HttpError(400, 'priceCents must be a whole number ≥ 0');
          update.priceCents = body.priceCents;
        }
        if (body.stock !== undefined) {
          if (!isCount(body.stock)) throw new HttpError(400, 'stock must be a whole number ≥ 0');
          update.stock = body.stock;
        }
        if (Object.keys(update).length === 0) throw new HttpError(400, 'give priceCents and/or stock');
        return { status: 200, body: change(sku, update, mode) };
      }
      if (!Number.isInteger(body.delta)) throw new HttpError(400, 'delta must be a whole number');
      const stock = product.stock + (body.delta as number);
      if (stock < 0) throw new HttpError(409, `only ${product.stock} in stock`);
      return { status: 200, body: change(sku, { stock }, mode) };
    }
    if (url.pathname === '/admin/outbox') {
      allow('GET');
      return { status: 200, body: { pending: store.outbox(), dead: store.dead() } };
    }
    if (url.pathname === '/admin/latency') {
      allow('POST');
      requireAdmin(req);
      const body = await readJson(req);
      if (!isCount(body.ms) || body.ms > 60_000) throw new HttpError(400, 'ms must be a whole number from 0 to 60000');
      latencyMs = body.ms;
      return { status: 200, body: { latencyMs } };
    }
    throw new HttpError(404, 'not found');
  }

  const server = http.createServer(async (req, res) => {
    let status: number;
    let body: unknown;
    let headers: Record<string, string> = {};
    try {
      ({ status, body } = await route(req));
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
  await new Promise<void>((resolve) => server.listen(options.port ?? 4100, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    store,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await sender?.stop();
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const env = process.env;
  try {
    const service = await startInventoryServer({
      port: Number(env.INVENTORY_PORT ?? 4100),
      host: env.INVENTORY_HOST ?? '127.0.0.1',
      dataDir: path.resolve(env.INVENTORY_DATA_DIR ?? '.data/inventory'),
      webhookUrl: env.INVENTORY_WEBHOOK_URL,
      webhookSecret: env.INVENTORY_WEBHOOK_SECRET,
      adminToken: env.INVENTORY_ADMIN_TOKEN,
      latencyMs: Number(env.INVENTORY_LATENCY_MS ?? 0),
    });
    console.log(`inventory service on ${service.url}`);
    const shutdown = async () => {
      await service.close();
      process.exit(0);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  } catch (error) {
    console.error(`inventory service: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
