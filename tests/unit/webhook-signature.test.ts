import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newSecret, parseSecrets, signDelivery, WebhookConfigError } from '@/lib/webhooks/secrets';

const body = JSON.stringify({ tags: ['post:12'], mode: 'max' });
const verify = (secret: string, headers: Record<string, string>, payload = body) =>
  new Webhook(secret).verify(payload, headers, { jsonParse: false });

describe('webhook secrets', () => {
  it('parses a comma-separated list, for rotation', () => {
    const a = newSecret();
    const b = newSecret();
    expect(parseSecrets(` ${a} , ${b} `)).toEqual([a, b]);
    expect(parseSecrets(undefined)).toEqual([]);
  });

  it('refuses malformed or short secrets without echoing them', () => {
    for (const bad of ['plain-password', 'whsec_', 'whsec_c2hvcnQ=', 'whsec_not base64!']) {
      expect(() => parseSecrets(bad)).toThrow(WebhookConfigError);
      try {
        parseSecrets(bad);
      } catch (error) {
        expect((error as Error).message).not.toContain(bad.slice(6) || '§');
      }
    }
  });
});

describe('Standard Webhooks signatures', () => {
  const secret = newSecret();

  it('verifies a delivery signed with the same secret', () => {
    expect(() => verify(secret, signDelivery(secret, 'msg_1', body))).not.toThrow();
  });

  it('refuses a different secret, a changed body and a changed id', () => {
    const headers = signDelivery(secret, 'msg_1', body);
    expect(() => verify(newSecret(), headers)).toThrow(WebhookVerificationError);
    expect(() => verify(secret, headers, body.replace('12', '13'))).toThrow(WebhookVerificationError);
    expect(() => verify(secret, { ...headers, 'webhook-id': 'msg_2' })).toThrow(WebhookVerificationError);
  });

  it('refuses signatures of the wrong length', () => {
    const headers = signDelivery(secret, 'msg_1', body);
    const sig = headers['webhook-signature'];
    for (const wrong of [sig.slice(0, -4), `${sig}AAAA`, 'v1,', 'v1,AA==']) {
      expect(() => verify(secret, { ...headers, 'webhook-signature': wrong })).toThrow(WebhookVerificationError);
    }
  });

  it('accepts when any of several listed signatures matches (the sender signs with old and new secret)', () => {
    const newer = newSecret();
    const a = signDelivery(secret, 'msg_1', body)['webhook-signature'];
    const b = signDelivery(newer, 'msg_1', body);
    const both = { ...b, 'webhook-signature': `${b['webhook-signature']} ${a}` };
    expect(() => verify(secret, both)).not.toThrow();
    expect(() => verify(newer, both)).not.toThrow();
  });

  it('refuses timestamps more than five minutes away', () => {
    const old = signDelivery(secret, 'msg_1', body, new Date(Date.now() - 6 * 60_000));
    const future = signDelivery(secret, 'msg_1', body, new Date(Date.now() + 6 * 60_000));
    expect(() => verify(secret, old)).toThrow(/too old/);
    expect(() => verify(secret, future)).toThrow(/too new/);
    expect(() => verify(secret, signDelivery(secret, 'msg_1', body, new Date(Date.now() - 4 * 60_000)))).not.toThrow();
  });
});
