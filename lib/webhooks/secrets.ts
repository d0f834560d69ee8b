import { Webhook } from 'standardwebhooks';

export class WebhookConfigError extends Error {}

/**
 * The Standard Webhooks secrets in REVALIDATE_SECRET (comma separated, `whsec_<base64>`). Several are accepted
 * at once so a sender can move to a new secret before the old one is removed. Errors never echo a secret.
 */
export function parseSecrets(value: string | undefined): string[] {
  const secrets = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  secrets.forEach((secret, i) => {
    if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret) || Buffer.from(secret.slice(6), 'base64').length < 16) {
      throw new WebhookConfigError(
        `REVALIDATE_SECRET entry ${i + 1} is not a secret of the form whsec_<base64 of at least 16 bytes>. ` +
          'Generate one with `npm run webhook:secret`.',
      );
    }
  });
  return secrets;
}

export function newSecret(): string {
  return `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')}`;
}

/** Headers for a signed delivery, made with the same library that verifies them. */
export function signDelivery(secret: string, id: string, body: string, at = new Date()) {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}
