/**
 * Time limits on what a client sends, for the server `next start` creates (it offers no options for them). Node's
 * defaults let a client take 60 s over its headers and 300 s over its body, holding a socket and a file descriptor
 * all along: a few thousand slow clients exhaust the process. Byte limits are the readers' job (lib/request-body.ts;
 * Next's own `serverActions.bodySizeLimit` for Server Actions).
 *
 * Like lib/client-address.ts, it hooks the diagnostics channel Node publishes every request on, which carries the
 * server too: the header limit is set on the server the first time it is seen, and a request with a body gets a
 * deadline for all of it.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';

const HEADERS_TIMEOUT_MS = 10_000;

/** REQUEST_BODY_TIMEOUT_MS: how long a client may take to send a request's body (default 30 s). */
export function bodyTimeoutMs(value = process.env.REQUEST_BODY_TIMEOUT_MS): number {
  if (value === undefined || value === '') return 30_000;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`REQUEST_BODY_TIMEOUT_MS must be a positive whole number of milliseconds, got "${value}"`);
  return ms;
}

const state = ((globalThis as unknown as { __ntcRequestLimits?: { installed: boolean; servers: WeakSet<Server> } }).__ntcRequestLimits ??= {
  installed: false,
  servers: new WeakSet(),
});

/** Called once from instrumentation.ts; idempotent. */
export function installRequestLimits(bodyMs = bodyTimeoutMs()): void {
  if (state.installed) return;
  state.installed = true;
  subscribe('http.server.request.start', (message) => {
    const { request, server } = message as { request: IncomingMessage; server: Server };
    if (!state.servers.has(server)) {
      state.servers.add(server);
      server.headersTimeout = HEADERS_TIMEOUT_MS;
      // Node's own whole-request limit, checked every 30 s; the deadline below is the exact one for bodies.
      server.requestTimeout = bodyMs + HEADERS_TIMEOUT_MS;
    }
    if (!('content-length' in request.headers) && !('transfer-encoding' in request.headers)) return;
    const deadline = setTimeout(() => {
      if (!request.complete) request.socket.destroy();
    }, bodyMs);
    deadline.unref();
    request.once('close', () => clearTimeout(deadline));
  });
}
