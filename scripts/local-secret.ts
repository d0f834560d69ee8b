// For the local demo only: when REVALIDATE_SECRET is unset, the demo and the webhook CLI share a secret
// kept in .data/revalidate-secret (created on first use, readable only by this user).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { newSecret } from '@/lib/webhooks/secrets';

const FILE = path.resolve('.data/revalidate-secret');

export function revalidateSecrets(): string {
  if (process.env.REVALIDATE_SECRET) return process.env.REVALIDATE_SECRET;
  if (!existsSync(FILE)) {
    mkdirSync(path.dirname(FILE), { recursive: true });
    writeFileSync(FILE, `${newSecret()}\n`, { mode: 0o600 });
  }
  return readFileSync(FILE, 'utf8').trim();
}
