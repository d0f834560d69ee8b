// npm test: the whole suite.
//   0. lint (ESLint, `npm run lint`): a problem stops the run at once
//   1. unit tests (vitest), and process tests (tests/process: shutdown order, no orphans, one demo per folder)
//   2. for each database — the embedded PostgreSQL, and a real PostgreSQL server (TEST_POSTGRES_URL,
//      default postgres://postgres@127.0.0.1:5432/postgres) — on a fresh database made for this run:
//      integration tests of every query, then `next build && next start` and the Playwright suite in Chromium.
//   On one database, the same build also runs as two instances sharing Redis (e2e/cluster/), and behind the edge cache
//   (Varnish: e2e/edge/ and the cache-semantics specs again, through it).
// Options: --db embedded|server|both (default both), --skip-e2e, --skip-empty, --skip-cluster, --skip-edge, and anything after `--` goes to Playwright.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { newSecret, parseSecrets } from '@/lib/webhooks/secrets';
import { deploymentEnv } from './cluster-env';
import { VARNISH_MISSING, appEnvBehindEdge, findVarnishd, newPurgeSecret, startEdge } from './edge-env';
import { appSecrets } from './local-secret';
import {
  canConnect,
  embeddedTestDatabase,
  freePort,
  run,
  serverTestDatabase,
  startServer,
  type TestDatabase,
} from './test-env';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: 'string', default: 'both' },
    'skip-e2e': { type: 'boolean', default: false },
    // For a quick local run of a few specs: leaves out the empty-deployment build.
    'skip-empty': { type: 'boolean', default: false },
    'skip-cluster': { type: 'boolean', default: false },
    'skip-edge': { type: 'boolean', default: false },
  },
});
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NODE = process.execPath;
const bin = (name: string) => path.resolve('node_modules/.bin', name);
const reports = mkdtempSync(path.join(os.tmpdir(), 'ntc-reports-'));
const secrets = appSecrets();
// Two webhook secrets, as during a rotation: the e2e suite signs with each (the inventory service with the first).
// One deployment id and Server Actions key for every build, so the cluster phase can run two instances of the build
// the single-instance phase tested. No REDIS_URL: the single-instance suite runs the default, Redis-less setup.
const baseEnv = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  ...secrets,
  REVALIDATE_SECRET: `${secrets.REVALIDATE_SECRET},${newSecret()}`,
  ...deploymentEnv({}),
  REDIS_URL: '',
  // GET /api/metrics asks for this bearer token; e2e/cache-inspector.spec.ts reads it from here.
  METRICS_TOKEN: randomBytes(24).toString('base64url'),
  // Short, so e2e/request-limits.spec.ts sees a slow body cut off in seconds (the default is 30 s).
  REQUEST_BODY_TIMEOUT_MS: '3000',
};
// Several runs may share one checkout (each with its own NTC_TEST_ID): their build directories must not collide.
const runId = process.env.NTC_TEST_ID ? `-${process.env.NTC_TEST_ID.replace(/\W+/g, '')}` : '';
const tally = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];

if (!values['skip-e2e'] && !existsSync(CHROMIUM)) {
  console.error(
    `Chromium was not found at ${CHROMIUM}; the end-to-end tests need it.\n` +
      `Install it with \`apt-get install -y chromium\` (Debian/Ubuntu), or point CHROMIUM_PATH at a Chromium binary,\n` +
      'or run everything else with `npm test -- --skip-e2e`.',
  );
  process.exit(1);
}

function countVitest(file: string) {
  if (!existsSync(file)) return false;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  tally.passed += r.numPassedTests;
  tally.failed += r.numFailedTests;
  tally.skipped += r.numPendingTests + r.numTodoTests;
  return true;
}

function countPlaywright(file: string) {
  if (!existsSync(file)) return false;
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  tally.passed += stats.expected + stats.flaky;
  tally.failed += stats.unexpected;
  tally.skipped += stats.skipped;
  return true;
}

async function phase(label: string, body: () => Promise<boolean>) {
  console.log(`\n━━ ${label} ━━`);
  const ok = await body().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    return false;
  });
  if (!ok) failures.push(label);
}

async function vitest(label: string, dirs: string[], env: NodeJS.ProcessEnv) {
  const out = path.join(reports, `${label.replace(/\W+/g, '-')}.json`);
  const code = await run(bin('vitest'), ['run', ...dirs, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], env);
  const counted = countVitest(out);
  return code === 0 && counted;
}

/** A fresh deployment: migrated, never seeded. It must build, and serve an empty site rather than errors. */
async function emptyDatabaseChecks(env: NodeJS.ProcessEnv) {
  const distDir = `.next-test-empty${runId}`;
  try {
    if ((await run(bin('tsx'), ['scripts/migrate.ts'], env)) !== 0) throw new Error('migrations failed');
    const buildEnv = { ...env, NEXT_DIST_DIR: distDir };
    if ((await run(NODE, ['node_modules/next/dist/bin/next', 'build'], buildEnv)) !== 0) throw new Error('next build failed on an empty database');
    const port = await freePort();
    const app = await startServer(NODE, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], buildEnv, `http://127.0.0.1:${port}/feed.xml`, 'next start');
    const checks: [string, number, (body: string) => boolean][] = [
      ['/', 200, (b) => b.includes('No posts have been published yet')],
      ['/posts/anything', 404, (b) => b.includes('Page not found')],
      ['/categories/engineering', 404, () => true],
      ['/feed.xml', 200, (b) => b.includes('<channel>') && !b.includes('<item>')],
      ['/sitemap.xml', 200, (b) => b.includes('<urlset')],
      ['/catalog', 200, (b) => b.includes('Catalog')],
    ];
    try {
      for (const [path, status, ok] of checks) {
        const response = await fetch(`${app.url}${path}`);
        const passed = response.status === status && ok(await response.text());
        console.log(`  ${passed ? '✓' : '✘'} ${path} → ${response.status}${passed ? '' : ` (expected ${status} and its content)`}`);
        tally[passed ? 'passed' : 'failed'] += 1;
      }
    } finally {
      await app.stop();
    }
    return true;
  } finally {
    rmSync(distDir, { recursive: true, force: true });
  }
}

async function databaseSuite(make: () => Promise<TestDatabase>, key: string) {
  const db = await make();
  const env = { ...baseEnv, DATABASE_URL: db.url, NEXT_DIST_DIR: `.next-test-${key}${runId}` };
  try {
    if (key === 'embedded' && !values['skip-e2e'] && !values['skip-empty']) {
      await phase(`a fresh deployment on an empty ${db.name}`, () => emptyDatabaseChecks(env));
    }
    await phase(`integration tests on ${db.name}`, () => vitest(`integration-${key}`, ['tests/integration'], env));
    if (values['skip-e2e']) return;
    await phase(`end-to-end tests on ${db.name}`, async () => {
      if ((await run(bin('tsx'), ['scripts/seed.ts'], env)) !== 0) throw new Error('seeding failed');
      // The inventory service (its own process and storage) notifies this app's webhook, as in production.
      const [port, inventoryPort] = [await freePort(), await freePort()];
      // A fresh store for each phase that starts from the seed, so no phase sees what an earlier one changed.
      let inventoryDir = '';
      const startInventory = async () => {
        inventoryDir = mkdtempSync(path.join(os.tmpdir(), 'ntc-inventory-'));
        return startServer(
          bin('tsx'),
          ['inventory/server.ts'],
          {
            ...env,
            INVENTORY_PORT: String(inventoryPort),
            INVENTORY_DATA_DIR: inventoryDir,
            INVENTORY_WEBHOOK_URL: `http://127.0.0.1:${port}/api/revalidate`,
            INVENTORY_WEBHOOK_SECRET: parseSecrets(env.REVALIDATE_SECRET)[0],
          },
          `http://127.0.0.1:${inventoryPort}/health`,
          'inventory service',
        );
      };
      let inventory = await startInventory();
      /** Back to the seeded content, a new inventory store and no cache entries left by the phase before. */
      const freshData = async () => {
        if ((await run(bin('tsx'), ['scripts/seed.ts'], env)) !== 0) throw new Error('seeding failed');
        rmSync(path.join(env.NEXT_DIST_DIR, 'cache', 'tagged'), { recursive: true, force: true });
        await inventory.stop();
        rmSync(inventoryDir, { recursive: true, force: true });
        inventory = await startInventory();
      };
      const appEnv = { ...env, INVENTORY_API_URL: inventory.url };
      try {
        const started = performance.now();
        if ((await run(NODE, ['node_modules/next/dist/bin/next', 'build'], appEnv)) !== 0) throw new Error('next build failed');
        console.log(`next build took ${((performance.now() - started) / 1000).toFixed(1)} s`);
        const app = await startServer(
          NODE,
          ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)],
          appEnv,
          // Not a URL e2e/after-build.spec.ts checks: its first request must be the spec's own.
          `http://127.0.0.1:${port}/robots.txt`,
          'next start',
        );
        let passed: boolean;
        try {
          const out = path.join(reports, `e2e-${key}.json`);
          const code = await run(bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts', ...positionals], {
            ...appEnv,
            BASE_URL: app.url,
            INVENTORY_URL: inventory.url,
            CHROMIUM_PATH: CHROMIUM,
            PLAYWRIGHT_JSON_OUTPUT_NAME: out,
          });
          passed = countPlaywright(out) && code === 0;
        } finally {
          await app.stop();
        }
        // The same build as two instances sharing a Redis of their own (e2e/cluster/): on one database is enough.
        if (key === clusterDatabase && !values['skip-cluster']) {
          console.log(`\n━━ cluster tests (two instances, Redis) on ${db.name} ━━`);
          await freshData();
          const out = path.join(reports, `e2e-cluster-${key}.json`);
          const code = await run(bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts'], {
            ...appEnv,
            CLUSTER_DIST_DIR: env.NEXT_DIST_DIR,
            INVENTORY_URL: inventory.url,
            CHROMIUM_PATH: CHROMIUM,
            PLAYWRIGHT_JSON_OUTPUT_NAME: out,
          });
          passed = countPlaywright(out) && code === 0 && passed;
        }
        if (key === clusterDatabase && !values['skip-edge']) {
          console.log(`\n━━ edge tests (Varnish in front of one instance) on ${db.name} ━━`);
          await freshData();
          passed = (await edgePhase(appEnv, port, inventory.url, key)) && passed;
        }
        return passed;
      } finally {
        await inventory.stop();
        rmSync(inventoryDir, { recursive: true, force: true });
      }
    });
  } finally {
    await db.drop();
    rmSync(env.NEXT_DIST_DIR, { recursive: true, force: true });
  }
}

/**
 * The tested build again, with the edge cache in front (deploy/varnish/): the edge specs, and the cache-semantics specs
 * with BASE_URL at the edge, so every invalidation they make must reach it. The instance listens on the port the
 * inventory service notifies; the public origin (SITE_URL) is the edge's.
 */
async function edgePhase(appEnv: NodeJS.ProcessEnv, port: number, inventoryUrl: string, key: string) {
  if (!findVarnishd()) throw new Error(`${VARNISH_MISSING}\nOr leave the edge tests out: npm test -- --skip-edge`);
  const edgePort = await freePort();
  const purgeSecret = newPurgeSecret();
  const env = { ...appEnv, ...appEnvBehindEdge({ edgePort, purgeSecret, siteUrl: `http://127.0.0.1:${edgePort}`, env: {} }) };
  const app = await startServer(NODE, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], env, `http://127.0.0.1:${port}/feed.xml`, 'next start (behind the edge)');
  try {
    const edge = await startEdge({
      port: edgePort,
      backends: [{ name: 'app', host: '127.0.0.1', port }],
      purgeSecret,
      distDir: appEnv.NEXT_DIST_DIR!,
      log: (line) => process.env.EDGE_LOG && console.log(line),
    });
    try {
      const out = path.join(reports, `e2e-edge-${key}.json`);
      const code = await run(bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts'], {
        ...env,
        EDGE: '1',
        BASE_URL: edge.url,
        APP_URL: app.url,
        INVENTORY_URL: inventoryUrl,
        CHROMIUM_PATH: CHROMIUM,
        PLAYWRIGHT_JSON_OUTPUT_NAME: out,
      });
      return countPlaywright(out) && code === 0;
    } finally {
      await edge.stop();
    }
  } finally {
    await app.stop();
  }
}

// The cluster phase runs on the real server when there is one (as in CI), otherwise on the embedded database.
const clusterDatabase = values.db === 'embedded' || !(await canConnect(SERVER_URL)) ? 'embedded' : 'server';

// Lint first: it takes seconds, so a problem it finds stops the run before any database or build.
console.log('\n━━ lint ━━');
if ((await run(bin('eslint'), ['.', '--max-warnings=0'], baseEnv)) !== 0) {
  console.error('\nLint failed (see above; `npm run lint` runs it alone). No tests were run.');
  rmSync(reports, { recursive: true, force: true });
  process.exit(1);
}
await phase('unit tests', () => vitest('unit', ['tests/unit', 'tests/process', 'inventory/test', 'packages/cache-handlers/test'], baseEnv));
if (values.db !== 'server') await databaseSuite(embeddedTestDatabase, 'embedded');
if (values.db !== 'embedded') {
  if (await canConnect(SERVER_URL)) {
    await databaseSuite(() => serverTestDatabase(SERVER_URL), 'server');
  } else if (process.env.CI) {
    failures.push(`PostgreSQL server at ${new URL(SERVER_URL).host} is not reachable (required in CI)`);
  } else {
    console.log(`\nSkipping the real-PostgreSQL run: nothing answers at ${new URL(SERVER_URL).host} (set TEST_POSTGRES_URL).`);
  }
}

rmSync(reports, { recursive: true, force: true });
// Builds into the test directories pointed next-env.d.ts at them; point it back at .next for editors and tsc.
await run(NODE, ['node_modules/next/dist/bin/next', 'typegen'], { ...baseEnv, NEXT_DIST_DIR: '' });
console.log(`\n${failures.length ? `Failed: ${failures.join('; ')}` : 'All test phases passed.'}`);
console.log(`tests: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
process.exit(failures.length || tally.failed ? 1 : 0);
