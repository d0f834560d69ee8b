// Sends the queued deliveries to the app's webhook (Standard Webhooks: https://www.standardwebhooks.com).
// One loop, oldest first, so changes to a SKU arrive in the order they were made. The price of that
// simplicity: a delivery that keeps failing holds back the ones behind it until it succeeds or is refused.
//   2xx                                   → delivered, removed from the outbox
//   network error, timeout, 408, 429, 5xx → retried after 1 s, 2 s, 4 s … 60 s, or Retry-After if longer
//   any other 4xx                         → refused for good: moved to `dead`, never sent again
import { Webhook } from 'standardwebhooks';
import type { Delivery, Store } from './store.js';

export interface SenderOptions {
  url: string;
  /** `whsec_<base64>`; it signs every attempt and is never logged. */
  secret: string;
  retryBaseMs?: number;
  retryMaxMs?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export function startSender(store: Store, options: SenderOptions) {
  const { url, retryBaseMs = 1000, retryMaxMs = 60_000, timeoutMs = 5000, log = console.log } = options;
  const webhook = new Webhook(options.secret);
  let stopped = false;
  let running: Promise<void> | undefined;
  let kickedWhileRunning = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: AbortController | undefined;

  async function run() {
    while (!stopped) {
      const delivery = store.pending()[0];
      if (!delivery) return;
      const wait = Date.parse(delivery.nextAttemptAt) - Date.now();
      if (wait > 0) {
        timer = setTimeout(kick, wait);
        return;
      }
      await attempt(delivery);
    }
  }

  async function attempt(delivery: Delivery) {
    const body = JSON.stringify(delivery.payload);
    const label = `${delivery.id} [${delivery.payload.tags.join(' ')}]`;
    // The timestamp is signed, and receivers reject old ones: a retry needs a fresh timestamp and signature.
    const now = new Date();
    const controller = (inFlight = new AbortController());
    const timeout = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': delivery.id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': webhook.sign(delivery.id, now, body),
        },
        body,
        signal: controller.signal,
      });
      const text = (await response.text()).slice(0, 500);
      const status = response.status;
      if (response.ok) {
        store.delivered(delivery.id);
        log(`delivered ${label}: HTTP ${status}`);
      } else if (status === 408 || status === 429 || status >= 500) {
        // Retry-After is a minimum; the backoff still applies, so "Retry-After: 0" cannot make a busy loop.
        const delay = Math.max(retryAfterMs(response.headers.get('retry-after')), backoff(delivery.attempts));
        store.retryLater(delivery.id, { error: `HTTP ${status}: ${text}`, status }, delay);
        log(`failed ${label}: HTTP ${status}, retry ${delivery.attempts + 1} in ${delay} ms`);
      } else {
        store.giveUp(delivery.id, { error: `HTTP ${status}: ${text}`, status });
        log(`refused ${label}: HTTP ${status} ${text} (moved to dead, not retried)`);
      }
    } catch (error) {
      // Stopping aborts the request: leave the delivery as it was. It is sent again on the next start, with
      // the same webhook-id, so a receiver that did get it will recognise the repeat.
      if (stopped) return;
      const reason = describe(error);
      const delay = backoff(delivery.attempts);
      store.retryLater(delivery.id, { error: reason }, delay);
      log(`failed ${label}: ${reason}, retry ${delivery.attempts + 1} in ${delay} ms`);
    } finally {
      clearTimeout(timeout);
      inFlight = undefined;
    }
  }

  /** 1 s, 2 s, 4 s … up to retryMaxMs, ±10 % so that many senders do not retry in lockstep. */
  function backoff(attempts: number) {
    const jitter = 0.9 + Math.random() * 0.2;
    return Math.round(Math.min(retryMaxMs, retryBaseMs * 2 ** attempts * jitter));
  }

  /** Starts the loop, or, when it is already running, makes it look again once it is done. */
  function kick() {
    if (stopped) return;
    if (running) {
      kickedWhileRunning = true;
      return;
    }
    clearTimeout(timer);
    running = run()
      .catch((error) => {
        // Most likely the state file could not be written: keep the delivery and try again later.
        log(`outbox: ${describe(error)}; trying again in ${retryMaxMs} ms`);
        timer = setTimeout(kick, retryMaxMs);
      })
      .finally(() => {
        running = undefined;
        if (kickedWhileRunning) {
          kickedWhileRunning = false;
          kick();
        }
      });
  }

  kick(); // resume whatever a previous run left in the outbox
  return {
    /** Call after queueing a delivery. */
    kick,
    /** Stops sending: aborts the request in flight and waits until the loop has let go of the store. */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      inFlight?.abort(new Error('shutting down'));
      await running;
    },
  };
}

/** Retry-After in seconds (the HTTP-date form is not supported), capped at an hour so a typo cannot park the queue. */
function retryAfterMs(header: string | null): number {
  if (!header || !/^\d+$/.test(header.trim())) return 0;
  return Math.min(Number(header) * 1000, 3_600_000);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch reports "fetch failed"; the useful part (ECONNREFUSED …) is in the cause.
  return error.cause instanceof Error ? error.cause.message : error.message;
}
