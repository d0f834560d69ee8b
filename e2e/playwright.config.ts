import { defineConfig } from '@playwright/test';

// Run through `npm test`, which builds the app, starts `next start` on a fresh database and sets BASE_URL.
export default defineConfig({
  testDir: '.',
  // The cluster specs need two instances and their own Redis, the edge specs Varnish in front (EDGE=1, with the
  // cache-semantics specs run again through it): `npm test` runs each in a phase of its own.
  ...(process.env.CLUSTER_DIST_DIR
    ? { testMatch: 'cluster/**/*.spec.ts' }
    : process.env.EDGE === '1'
      ? { testMatch: ['edge/**/*.spec.ts', 'browse.spec.ts', 'studio.spec.ts', 'webhook.spec.ts', 'catalog.spec.ts'] }
      : { testIgnore: ['cluster/**', 'edge/**'] }),
  // The tests change shared state (the database, the cache): one at a time keeps each one's view exact.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  reporter: [['list'], ['json']],
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  outputDir: '../test-results',
});
