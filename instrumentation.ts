// Runs once per server process before it handles requests (next start and next dev).
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    // Resolve each request's client address from its socket before Next.js sees the request (lib/client-address.ts).
    const { installClientAddress } = await import('@/lib/client-address');
    installClientAddress();
  }
}
