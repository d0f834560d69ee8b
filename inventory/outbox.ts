// Sends queued deliveries to the app's /api/revalidate, signed per Standard Webhooks, one at a time in order.
// Retries network errors, timeouts, 408, 429 and 5xx with exponential backoff (Retry-After honoured); any other
// 4xx is a permanent refusal and the delivery moves to `dead` instead of being retried forever.
import { Webhook } from 'standardwebhooks';
import type { Store } from './store.ts';

export interface SenderOptions {
  url: string;
  secret: string;
  retryBaseMs?: number;
  retryMaxMs?: number;
  log?: (line: string) => void;
}

export function startSender(store: Store, { url, secret, retryBaseMs = 1000, retryMaxMs = 60_000, log = console.log }: SenderOptions) {
  const signer = new Webhook(secret);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function attempt(): Promise<void> {
    const delivery = store.outbox()[0];
    if (!delivery) return;
    const wait = delivery.nextAttemptAt - Date.now();
    if (wait > 0) return schedule(wait);
    const body = JSON.stringify(delivery.payload);
    const now = new Date();
    const tagList = delivery.payload.tags.join(' ');
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': delivery.id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signer.sign(delivery.id, now, body),
        },
        body,
        signal: AbortSignal.timeout(5000),
      });
      const text = await response.text();
      if (response.ok) {
        store.delivered(delivery.id);
        log(`delivered ${delivery.id} [${tagList}] ${response.status}`);
      } else if (response.status === 408 || response.status === 429 || response.status >= 500) {
        const retryAfter = Number(response.headers.get('retry-after'));
        const delay = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoff(delivery.attempts);
        store.retryLater(delivery.id, `HTTP ${response.status}`, delay);
        log(`retry ${delivery.id} [${tagList}] HTTP ${response.status}, again in ${delay} ms`);
      } else {
        store.giveUp(delivery.id, `HTTP ${response.status}: ${text.slice(0, 500)}`);
        log(`refused ${delivery.id} [${tagList}] HTTP ${response.status}: ${text.slice(0, 200)} (moved to dead)`);
      }
    } catch (error) {
      const delay = backoff(delivery.attempts);
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      store.retryLater(delivery.id, reason, delay);
      log(`retry ${delivery.id} [${tagList}] ${reason}, again in ${delay} ms`);
    }
    return attempt();
  }

  function backoff(attempts: number) {
    const base = Math.min(retryMaxMs, retryBaseMs * 2 ** attempts);
    return Math.round(base * (0.9 + Math.random() * 0.2)); // jitter, so many senders do not retry in step
  }

  function schedule(delay: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(kick, delay);
  }

  function kick() {
    if (stopped || running) return;
    running = attempt().finally(() => {
      running = undefined;
    });
  }

  kick();
  return {
    /** Call after queueing a delivery. */
    kick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
