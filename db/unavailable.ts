// Shared by the database client (server) and the error pages (browser): no imports, nothing secret.

/**
 * Next.js sends a server error to the browser only as its `digest`. Errors that mean "the database is not
 * answering" get a digest starting with this prefix (db/client.ts), so the error pages can say so.
 */
export const DATABASE_UNAVAILABLE_DIGEST = 'DATABASE_UNAVAILABLE';

export function isDatabaseUnavailableDigest(digest: unknown): boolean {
  return typeof digest === 'string' && digest.startsWith(`${DATABASE_UNAVAILABLE_DIGEST}:`);
}
