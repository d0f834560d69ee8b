// npm run webhook -- --tag post:12 [--tag posts …] [--path /posts/x …] [--mode max|expire|<cacheLife profile>]
//   [--url http://…/api/revalidate] [--id msg_…]
// Signs a delivery with the first secret in REVALIDATE_SECRET (or the local demo secret) and sends it.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { parseSecrets, signDelivery } from '@/lib/webhooks/secrets';
import { revalidateSecrets } from './local-secret';

const usage =
  'usage: npm run webhook -- [--tag <tag> …] [--path <page path> …] [--mode max|expire|posts|lists|navigation|inventory] [--url <endpoint>] [--id <delivery id>]\n' +
  'give at least one --tag or --path';
let values;
try {
  ({ values } = parseArgs({
    options: {
      tag: { type: 'string', multiple: true, default: [] },
      path: { type: 'string', multiple: true, default: [] },
      mode: { type: 'string', default: 'max' },
      url: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? 3000}/api/revalidate` },
      id: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
if (values.help || values.tag.length + values.path.length === 0) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}

const [secret] = parseSecrets(revalidateSecrets());
const id = values.id ?? `msg_${randomUUID()}`;
const body = JSON.stringify({ tags: values.tag, paths: values.path, mode: values.mode });
try {
  const response = await fetch(values.url, { method: 'POST', headers: signDelivery(secret, id, body), body });
  console.log(`${response.status} ${response.statusText}`);
  console.log(await response.text());
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`Could not reach ${values.url}: ${(error as Error).cause ?? error}`);
  process.exit(1);
}
