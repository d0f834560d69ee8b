// Durable state: products and the outbox of webhook deliveries in ONE JSON file, replaced atomically
// (write a temp file, fsync, rename). A change and the delivery that announces it are saved together, so a
// crash can never keep one without the other.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, openSync, fsyncSync, closeSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { initialProducts } from './products.ts';

export interface Product {
  sku: string;
  priceCents: number;
  currency: string;
  stock: number;
  updatedAt: string;
}

export interface Delivery {
  id: string;
  payload: { tags: string[]; mode: 'max' | 'expire' };
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
}

interface State {
  products: Record<string, Product>;
  outbox: Delivery[];
  dead: Delivery[];
}

export class Store {
  private state: State;
  private readonly file: string;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'state.json');
    if (existsSync(this.file)) {
      this.state = JSON.parse(readFileSync(this.file, 'utf8')) as State;
    } else {
      const now = new Date().toISOString();
      const products = Object.fromEntries(initialProducts.map((p) => [p.sku, { ...p, currency: 'USD', updatedAt: now }]));
      this.state = { products, outbox: [], dead: [] };
      this.save();
    }
  }

  private save() {
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state, null, 2));
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.file);
  }

  products(): Product[] {
    return Object.values(this.state.products).sort((a, b) => a.sku.localeCompare(b.sku));
  }

  product(sku: string): Product | undefined {
    return this.state.products[sku];
  }

  /** Applies a change and queues its delivery (when `notify`), in one atomic write. */
  change(sku: string, update: Partial<Pick<Product, 'priceCents' | 'stock'>>, notify: { mode: 'max' | 'expire' } | null): Product {
    const next = { ...this.state.products[sku], ...update, updatedAt: new Date().toISOString() };
    this.state.products[sku] = next;
    if (notify) {
      this.state.outbox.push({
        id: `msg_${randomUUID()}`,
        payload: { tags: [`product:${sku}`, 'inventory'], mode: notify.mode },
        attempts: 0,
        nextAttemptAt: 0,
      });
    }
    this.save();
    return next;
  }

  outbox(): Delivery[] {
    return this.state.outbox;
  }

  dead(): Delivery[] {
    return this.state.dead;
  }

  delivered(id: string) {
    this.state.outbox = this.state.outbox.filter((d) => d.id !== id);
    this.save();
  }

  retryLater(id: string, error: string, delayMs: number) {
    const delivery = this.state.outbox.find((d) => d.id === id);
    if (!delivery) return;
    delivery.attempts += 1;
    delivery.lastError = error;
    delivery.nextAttemptAt = Date.now() + delayMs;
    this.save();
  }

  giveUp(id: string, error: string) {
    const delivery = this.state.outbox.find((d) => d.id === id);
    if (!delivery) return;
    this.state.outbox = this.state.outbox.filter((d) => d.id !== id);
    this.state.dead.push({ ...delivery, attempts: delivery.attempts + 1, lastError: error });
    this.save();
  }
}
