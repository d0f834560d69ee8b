// For the local demo and tests only: secrets that are not set in the environment are created once and
// kept in .data/ (readable only by this user), so the app, the webhook CLI and the tests share them.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { newSecret } from '@/lib/webhooks/secrets';

function localSecret(envName: string, file: string, make: () => string): string {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  const location = path.resolve('.data', file);
  if (!existsSync(location)) {
    mkdirSync(path.dirname(location), { recursive: true });
    writeFileSync(location, `${make()}\n`, { mode: 0o600 });
  }
  return readFileSync(location, 'utf8').trim();
}

export const revalidateSecrets = () => localSecret('REVALIDATE_SECRET', 'revalidate-secret', newSecret);
export const authSecret = () => localSecret('BETTER_AUTH_SECRET', 'auth-secret', () => randomBytes(32).toString('base64'));
// Server Actions encrypt their closures with this key; every instance of one deployment must share it (set at build
// time, it is also baked into the build), or an action rendered by one instance fails on another.
export const serverActionsKey = () =>
  localSecret('NEXT_SERVER_ACTIONS_ENCRYPTION_KEY', 'server-actions-key', () => randomBytes(32).toString('base64'));

/** The environment the app needs besides DATABASE_URL, with local secrets filled in. */
export const appSecrets = () => ({ REVALIDATE_SECRET: revalidateSecrets(), BETTER_AUTH_SECRET: authSecret() });
