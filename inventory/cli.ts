// A command line for the running inventory service: it only speaks its HTTP API. See --help.
import { parseArgs } from 'node:util';

const usage = `usage: npx tsx inventory/cli.ts <command>
  list                                                   all products
  set <sku> [--price <cents>] [--stock <n>] [--mode max|expire]
  adjust <sku> <delta> [--mode max|expire]               e.g. adjust MUG-001 -1
  outbox                                                 pending and dead webhook deliveries
  latency <ms>                                           delay every read, e.g. to see the app's timeout
environment: INVENTORY_URL (default http://127.0.0.1:4100), INVENTORY_ADMIN_TOKEN (sent when set)`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

// parseArgs would read a negative delta ("-1") as an option: move negative numbers behind "--", where
// everything is positional. The delta is the last positional, so the order is kept.
const argv = process.argv.slice(2);
const negative = (arg: string) => /^-\d+$/.test(arg);
const args = argv.includes('--') ? argv : [...argv.filter((a) => !negative(a)), '--', ...argv.filter(negative)];

let parsed;
try {
  parsed = parseArgs({
    args,
    allowPositionals: true,
    options: { price: { type: 'string' }, stock: { type: 'string' }, mode: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (error) {
  fail(`${error instanceof Error ? error.message : error}\n${usage}`);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(usage);
  process.exit(0);
}

/** A whole number from the command line, or undefined when the option was not given. */
function int(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) fail(`${name} must be a whole number, got "${value}"`);
  return Number(value);
}

const [command, ...rest] = positionals;
const arity: Record<string, number> = { list: 0, outbox: 0, set: 1, adjust: 2, latency: 1 };
if (command === undefined || !(command in arity) || rest.length !== arity[command]) fail(usage);
const sku = encodeURIComponent(rest[0] ?? '');
const requests: Record<string, () => [method: string, path: string, body?: unknown]> = {
  list: () => ['GET', '/products'],
  outbox: () => ['GET', '/admin/outbox'],
  set: () => ['PATCH', `/products/${sku}`, { priceCents: int(values.price, '--price'), stock: int(values.stock, '--stock'), mode: values.mode }],
  adjust: () => ['POST', `/products/${sku}/adjust`, { delta: int(rest[1], 'delta'), mode: values.mode }],
  latency: () => ['POST', '/admin/latency', { ms: int(rest[0], 'ms') }],
};
const [method, path, body] = requests[command]();

const base = process.env.INVENTORY_URL ?? 'http://127.0.0.1:4100';
const headers: Record<string, string> = { 'content-type': 'application/json' };
if (process.env.INVENTORY_ADMIN_TOKEN) headers.authorization = `Bearer ${process.env.INVENTORY_ADMIN_TOKEN}`;

let response: Response;
try {
  // JSON.stringify leaves out the options that were not given (undefined).
  response = await fetch(new URL(path, base), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
} catch (error) {
  const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
  fail(`could not reach the inventory service at ${base}: ${reason}`, 1);
}
const text = await response.text();
let json: unknown;
try {
  json = JSON.parse(text);
} catch {
  fail(`HTTP ${response.status} from ${base}, not JSON (is INVENTORY_URL right?): ${text.slice(0, 200)}`, 1);
}
if (!response.ok) {
  const message = (json as { error?: unknown } | null)?.error ?? text;
  fail(`error: HTTP ${response.status}: ${message}`, 1);
}
console.log(JSON.stringify(json, null, 2));
