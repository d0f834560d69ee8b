import type { NextConfig } from 'next';

// Exactly the wiring of packages/cache-handlers/README.md.
const nextConfig: NextConfig = {
  cacheComponents: true,
  partialPrefetching: false,
  cacheHandlers: {
    default: require.resolve('@next-tagged-cache/handlers/use-cache'),
    remote: require.resolve('@next-tagged-cache/handlers/use-cache'),
  },
  cacheHandler: require.resolve('@next-tagged-cache/handlers/pages'),
  cacheMaxMemorySize: 0,
  serverExternalPackages: ['@next-tagged-cache/handlers'],
  deploymentId: process.env.NEXT_DEPLOYMENT_ID || undefined,
};

export default nextConfig;
