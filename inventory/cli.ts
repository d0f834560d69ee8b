// npx tsx inventory/cli.ts <list | set SKU [--price CENTS] [--stock N] [--mode max|expire] | adjust SKU DELTA [--mode …] | outbox | latency MS>
import { parseArgs } from 'node:util';

const usage = `usage: inventory/cli.ts list
       inventory/cli.ts set <sku> [--price <cents>] [--stock <n>] [--mode max|expire]
       inventory/cli.ts adjust <sku> <delta> [--mode max|expire]
       inventory/cli.ts outbox
       inventory/cli.ts latency <ms>
(INVENTORY_URL, default http://127.0.0.1:4100; INVENTORY_ADMIN_TOKEN if the service requires one)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { price: { type: 'string' }, stock: { type: 'string' }, mode: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
const [command, ...args] = positionals;
if (values.help || !command) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}

const base = process.env.INVENTORY_URL ?? 'http://127.0.0.1:4100';
const headers: Record<string, string> = { 'content-type': 'application/json' };
if (process.env.INVENTORY_ADMIN_TOKEN) headers.authorization = `Bearer ${process.env.INVENTORY_ADMIN_TOKEN}`;
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

const requests: Record<string, () => [string, string, unknown?]> = {
  list: () => ['GET', '/products'],
  outbox: () => ['GET', '/admin/outbox'],
  set: () => ['PATCH', `/products/${encodeURIComponent(args[0] ?? '')}`, { priceCents: num(values.price), stock: num(values.stock), mode: values.mode }],
  adjust: () => ['POST', `/products/${encodeURIComponent(args[0] ?? '')}/adjust`, { delta: num(args[1]), mode: values.mode }],
  latency: () => ['POST', '/admin/latency', { ms: num(args[0]) }],
};
if (!requests[command]) {
  console.error(usage);
  process.exit(2);
}
const [method, path, body] = requests[command]();
try {
  const response = await fetch(new URL(path, base), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  console.log(JSON.stringify(JSON.parse(text), null, 2));
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`could not reach ${base}: ${error instanceof Error ? (error.cause ?? error.message) : error}`);
  process.exit(1);
}
