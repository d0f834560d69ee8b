/**
 * The client's address for rate limiting: the first X-Forwarded-For entry. Next.js fills that header from the
 * socket only when the request has none, so deploy behind a proxy that sets it (README, "Security notes").
 */
export function clientAddress(headers: Headers): string {
  return headers.get('x-forwarded-for')?.split(',')[0]?.trim() || 'unknown';
}
