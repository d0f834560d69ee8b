// Durable state: the products AND the outbox of webhook deliveries live in ONE JSON file that is replaced
// atomically (write a temp file, fsync, rename, fsync the directory). A change and the delivery announcing it
// are saved by the same write, so a crash can never keep one without the other.
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { initialProducts } from './products.js';

export type Mode = 'max' | 'expire';

export interface Product {
  sku: string;
  priceCents: number;
  currency: 'USD';
  stock: number;
  updatedAt: string;
}

/** What a client may change. */
export type Update = Partial<Pick<Product, 'priceCents' | 'stock'>>;

export interface Delivery {
  /** `msg_<uuid>`, fixed at enqueue time: the receiver uses it (webhook-id) to ignore repeats. */
  id: string;
  payload: { tags: string[]; mode: Mode };
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  lastStatus?: number;
}

interface State {
  version: 1;
  products: Product[];
  pending: Delivery[];
  dead: Delivery[];
}

export class Store {
  private state: State;
  private readonly file: string;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'state.json');
    if (existsSync(this.file)) {
      this.state = load(this.file);
    } else {
      const now = new Date().toISOString();
      const products = initialProducts.map((p) => ({ ...p, currency: 'USD' as const, updatedAt: now }));
      this.state = { version: 1, products, pending: [], dead: [] };
      this.commit(this.state);
    }
  }

  /**
   * Writes `next` to disk, and only then makes it the current state: if the write fails (disk full), the
   * caller gets an error and memory still matches the file. The write is synchronous, so no request or
   * signal handler can run while it is half done.
   */
  private commit(next: State) {
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(next, null, 2));
      fsyncSync(fd); // the bytes are on disk before the rename makes them the state
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    syncDirectory(path.dirname(this.file)); // ... and the rename itself survives a power cut
    this.state = next;
  }

  products(): Product[] {
    return [...this.state.products].sort(bySku);
  }

  product(sku: string): Product | undefined {
    return this.state.products.find((p) => p.sku === sku);
  }

  /** Applies a change and, when `notify` is given, queues the delivery that announces it: one atomic write. */
  change(sku: string, update: Update, notify: Mode | null): Product {
    const current = this.product(sku);
    if (!current) throw new Error(`no product ${sku}`);
    const product: Product = { ...current, ...update, updatedAt: new Date().toISOString() };
    const pending = [...this.state.pending];
    if (notify) {
      pending.push({
        id: `msg_${randomUUID()}`,
        payload: { tags: [`product:${sku}`, 'inventory'], mode: notify },
        attempts: 0,
        nextAttemptAt: product.updatedAt,
      });
    }
    const products = this.state.products.map((p) => (p.sku === sku ? product : p));
    this.commit({ ...this.state, products, pending });
    return product;
  }

  pending(): Delivery[] {
    return this.state.pending;
  }

  dead(): Delivery[] {
    return this.state.dead;
  }

  delivered(id: string) {
    this.commit({ ...this.state, pending: this.state.pending.filter((d) => d.id !== id) });
  }

  retryLater(id: string, failure: { error: string; status?: number }, delayMs: number) {
    const nextAttemptAt = new Date(Date.now() + delayMs).toISOString();
    const pending = this.state.pending.map((d) =>
      d.id === id ? { ...d, attempts: d.attempts + 1, nextAttemptAt, lastError: failure.error, lastStatus: failure.status } : d,
    );
    this.commit({ ...this.state, pending });
  }

  /** A permanent refusal: keep the delivery for inspection (GET /admin/outbox) but never send it again. */
  giveUp(id: string, failure: { error: string; status?: number }) {
    const delivery = this.state.pending.find((d) => d.id === id);
    if (!delivery) return;
    const dead = { ...delivery, attempts: delivery.attempts + 1, lastError: failure.error, lastStatus: failure.status };
    this.commit({ ...this.state, pending: this.state.pending.filter((d) => d.id !== id), dead: [...this.state.dead, dead] });
  }
}

const bySku = (a: Product, b: Product) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0);

function load(file: string): State {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as State;
    if (state.version !== 1 || !Array.isArray(state.products) || !Array.isArray(state.pending) || !Array.isArray(state.dead)) {
      throw new Error('unexpected shape');
    }
    return state;
  } catch (error) {
    // Refuse to start rather than overwrite it: it may hold changes whose deliveries were never sent.
    throw new Error(`cannot read ${file} (${error instanceof Error ? error.message : error}); fix or remove it`);
  }
}

function syncDirectory(dir: string) {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
