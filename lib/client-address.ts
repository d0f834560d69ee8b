/**
 * The client's address, for rate limits and the session record: the socket's peer, or, through proxies the
 * operator trusts (TRUST_PROXY, the syntax of Express's 'trust proxy': `loopback`, addresses and CIDRs, a hop count),
 * the address the nearest trusted proxy saw. By default no proxy is trusted and forwarded headers are ignored.
 *
 * Where the socket's address comes from: Next.js gives route handlers and Server Actions only the request headers.
 * It writes the peer into `x-forwarded-for` only when that header is absent (`??=` in next/dist/server/base-server.js),
 * so a client that sends its own header hides its real address, and `NextRequest.ip` is gone since Next 15. So we
 * look at the request before Next does: Node publishes every incoming request, with its socket, on the diagnostics
 * channel `http.server.request.start` just before emitting 'request'. instrumentation.ts subscribes (installClientAddress);
 * the subscriber resolves the address with `proxy-addr` and stamps it into a header of ours, overwriting anything
 * the client sent. The stamp carries a random per-process token, so a header forged by a client (which a request
 * that slipped in before the subscriber was installed would still carry) is never taken for ours.
 */
import { randomBytes } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';

const STAMP_HEADER = 'x-ntc-client-address';
const UNKNOWN = 'unknown';

// On globalThis: instrumentation.ts and the route bundles are separate module graphs in one process.
const state = ((globalThis as unknown as { __ntcClientAddress?: { token: string; installed: boolean } }).__ntcClientAddress ??= {
  token: randomBytes(18).toString('base64url'),
  installed: false,
});

export type Trust = (address: string, hop: number) => boolean;

/**
 * TRUST_PROXY as Express reads 'trust proxy': unset/`false` trusts nothing; `true` trusts every hop (never do that
 * on a public port); a number trusts that many hops next to the server; otherwise a comma-separated list for
 * proxy-addr (`loopback`, `linklocal`, `uniquelocal`, addresses, CIDRs). A value proxy-addr rejects throws.
 */
export function compileTrust(value: string | undefined): Trust {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false') return () => false;
  if (v === 'true') return () => true;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return (_, hop) => hop < hops;
  }
  return proxyaddr.compile(v.split(',').map((s) => s.trim()).filter(Boolean));
}

/**
 * The client's address for one Node request: proxy-addr walks from the socket's peer back through X-Forwarded-For
 * while each hop is trusted. A trusted proxy may pass on something that is not an address (a client can write
 * anything into the header it sends, up to Node's 16 KiB header limit): then the last real address, that proxy's, is
 * the answer, so the result is always a short, valid address. IPv4-mapped IPv6 (`::ffff:1.2.3.4`) comes back as IPv4.
 */
export function resolveClientAddress(request: IncomingMessage, trust: Trust): string {
  const chain = proxyaddr.all(request, trust);
  for (let i = chain.length - 1; i >= 0; i--) {
    const address = chain[i];
    if (typeof address === 'string' && isIP(address)) return ipaddr.process(address).toString();
  }
  return UNKNOWN;
}

/** Subscribes to every HTTP request this process serves; idempotent. Called once from instrumentation.ts. */
export function installClientAddress(trust: Trust = compileTrust(process.env.TRUST_PROXY)): void {
  if (state.installed) return;
  state.installed = true;
  subscribe('http.server.request.start', (message) => {
    const { request } = message as { request: IncomingMessage };
    request.headers[STAMP_HEADER] = `${state.token} ${resolveClientAddress(request, trust)}`;
  });
}

/**
 * The address resolved for this request (see above); `unknown` if the request did not come through this process's
 * HTTP server after installClientAddress(), e.g. in the first moment after start. Every reader of the client's
 * address goes through here.
 */
export function clientAddress(headers: Headers): string {
  const stamp = headers.get(STAMP_HEADER);
  const prefix = `${state.token} `;
  return stamp?.startsWith(prefix) ? stamp.slice(prefix.length) : UNKNOWN;
}

/**
 * The key a per-client limit counts on: the address itself for IPv4; for IPv6 its /64, because one subscriber is
 * normally given a whole /64 and could otherwise take a fresh address for every attempt.
 */
export function clientLimitKey(address: string): string {
  if (!ipaddr.isValid(address)) return UNKNOWN;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const bytes = parsed.toByteArray().slice(0, 8).concat(Array(8).fill(0));
  return `${ipaddr.fromByteArray(bytes).toString()}/64`;
}
