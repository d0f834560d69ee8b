import type { NextConfig } from 'next';
import { cacheLifeProfiles } from './lib/cache/profiles';

const nextConfig: NextConfig = {
  cacheComponents: true,
  partialPrefetching: false,
  // Partial prefetching stays off: with it on, the first request after updateTag on a page prerendered by
  // generateStaticParams was measured to return the build-time HTML (see README, "Facts that bite").
  // Pages await their params outside <Suspense>, so an unlisted URL renders once, blocking, and is then cached.
  // Profiles (lib/cache/profiles.ts): the webhook accepts their names as a mode too.
  cacheLife: cacheLifeProfiles,
  // Both cache layers go through our handlers (packages/cache-handlers/, its README): entries and tag state survive
  // restarts, and with REDIS_URL every instance shares them. `'use cache'` uses cacheHandlers; pages, route handlers
  // and the fetch cache use cacheHandler. Next's own in-memory layer is switched off (cacheMaxMemorySize: 0): it would keep
  // serving what another instance already invalidated.
  cacheHandlers: {
    default: require.resolve('@next-tagged-cache/handlers/use-cache'),
    remote: require.resolve('@next-tagged-cache/handlers/use-cache'),
  },
  cacheHandler: require.resolve('@next-tagged-cache/handlers/pages'),
  cacheMaxMemorySize: 0,
  poweredByHeader: false,
  // One id per deployment, the same on every instance (`npm run cluster` sets it): it keys the 'use cache' entries, so a
  // shared cache never serves one build's entries to another, and browsers holding an older build reload instead of
  // calling Server Actions that no longer exist. Set it to the same value at build and at start. Unset: no id.
  deploymentId: process.env.NEXT_DEPLOYMENT_ID || undefined,
  experimental: {
    // Route types are referenced from next-env.d.ts rather than added to tsconfig.json, so builds into another
    // distDir (the test runner's) never rewrite tsconfig.json.
    strictRouteTypes: true,
    // forbidden(): the studio answers 403, inside its own layout, for a post that is not the user's.
    authInterrupts: true,
  },
  // No page may be framed by another site (clickjacking: the sign-in form and the studio's buttons under someone
  // else's page). Headers from next.config are added to the response as is: they change neither what is cached nor
  // Cache-Control, so cached pages stay cached.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'Content-Security-Policy', value: "frame-ancestors 'none'" },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ];
  },
  // Browsers and feed readers ask for /favicon.ico whatever the page names: send them to the site's icon.
  async redirects() {
    return [{ source: '/favicon.ico', destination: '/icon.svg', permanent: true }];
  },
  // The test runner builds into its own directory per database, so a running demo's .next is never touched.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // postgres.js is a Node package with dynamic parts: load it at runtime. (The embedded database is tooling only: the
  // app never imports it, which the linter enforces.) The cache handlers' package and prom-client too: Node loads
  // the handlers unbundled, and the app's bundles then share their one copy (the tag store, metrics/registry.mjs).
  serverExternalPackages: ['postgres', '@next-tagged-cache/handlers', 'prom-client'],
};

export default nextConfig;
