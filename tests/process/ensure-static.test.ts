// The public pages but /catalog (see its page) export `ensureStatic = 'navigation'`: each must be served from what
// `next build` prerendered, never rendered per request. This proves the guarantee holds: in a copy of the app, the
// post page gets a request-time part of the kind Cache Components otherwise accepts (`headers()` inside <Suspense>:
// without ensureStatic the build passes and the page becomes a partial prerender, rendered per request), and
// `next build` must refuse it, naming the route. Only that route is built (`--debug-build-paths`), without the type
// check. That the unchanged app builds is proven by every other build of the suite.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedTestDatabase, type TestDatabase } from '@/scripts/test-env';
import { root, runScript } from './helpers';

const POST_PAGE = 'app/posts/[slug]/page.tsx';
// What a build does not read: dependencies (linked instead), build output, local data, the tests and the docs.
const NOT_COPIED = new Set(['node_modules', '.git', '.data', 'e2e', 'tests', 'docs', 'test-results', 'playwright-report']);

let copy = '';
let db: TestDatabase | undefined;
afterAll(async () => {
  await db?.drop();
  if (copy) rmSync(copy, { recursive: true, force: true });
});

/** Turbopack refuses a node_modules linked from outside the project: hard links instead (a copy across file systems). */
function linkDependencies(from: string, to: string) {
  try {
    execFileSync('cp', ['-al', from, to]);
  } catch {
    rmSync(to, { recursive: true, force: true });
    cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  }
}

/** The app's own config, without the type check (a minute in a fresh copy; `npm run typecheck` and every other build do it). */
function withoutTypeCheck(dir: string) {
  renameSync(path.join(dir, 'next.config.ts'), path.join(dir, 'next.config.app.ts'));
  writeFileSync(
    path.join(dir, 'next.config.ts'),
    "import config from './next.config.app';\nexport default { ...config, typescript: { ...config.typescript, ignoreBuildErrors: true } };\n",
  );
}

/** The post page with one more part: a component in <Suspense> reading a request header. */
function renderedPerRequest(source: string): string {
  const changed = source.replace(/^export default (async )?function \w+/m, (match) => match.replace('export default ', '') + 'Static');
  expect(changed, `${POST_PAGE} has one default-exported function page`).not.toBe(source);
  const name = /^(?:async )?function (\w+Static)/m.exec(changed)![1];
  return [
    "import { headers as requestHeaders } from 'next/headers';",
    "import { Suspense as RequestBoundary } from 'react';",
    changed,
    "async function UserAgent() {",
    "  return <span hidden>{(await requestHeaders()).get('user-agent')}</span>;",
    '}',
    `export default function PostPage(props: PageProps<'/posts/[slug]'>) {`,
    `  return <><${name} {...props} /><RequestBoundary fallback={null}><UserAgent /></RequestBoundary></>;`,
    '}',
    '',
  ].join('\n');
}

describe('ensureStatic on the public pages', () => {
  it('a post page changed to render per request (headers() in <Suspense>) fails `next build`, naming the route', { timeout: 300_000 }, async () => {
    copy = mkdtempSync(path.join(os.tmpdir(), 'ntc-ensure-static-'));
    cpSync(root, copy, {
      recursive: true,
      filter: (from) => {
        const top = path.relative(root, from).split(path.sep)[0];
        return !NOT_COPIED.has(top) && !top.startsWith('.next') && !top.endsWith('.tsbuildinfo');
      },
    });
    linkDependencies(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
    withoutTypeCheck(copy);
    const page = path.join(copy, POST_PAGE);
    writeFileSync(page, renderedPerRequest(readFileSync(page, 'utf8')));

    db = await embeddedTestDatabase();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      NEXT_DIST_DIR: '.next',
      NEXT_TELEMETRY_DISABLED: '1',
      TSX_TSCONFIG_PATH: path.join(copy, 'tsconfig.json'),
    };
    // No shared Redis, no inventory service: the build needs neither.
    delete env.REDIS_URL;
    delete env.INVENTORY_API_URL;
    // Posts to prerender (an empty database prerenders only the placeholder, a 404). The seed tells no running app to
    // drop its pages (port 1: nothing listens there).
    for (const [script, args] of [['scripts/migrate.ts', []], ['scripts/seed.ts', ['--app-url', 'http://127.0.0.1:1']]] as const) {
      const step = runScript(path.join(copy, script), [...args], env, copy);
      expect(await step.exited, `${script}:\n${step.output()}`).toBe(0);
    }

    const build = runScript(path.join(copy, 'scripts/with-db.ts'), [process.execPath, 'node_modules/next/dist/bin/next', 'build', '--debug-build-paths', POST_PAGE], env, copy);
    const code = await build.exited;
    const output = build.output();
    expect(code, `next build must fail; its output:\n${output}`).not.toBe(0);
    expect(output).toMatch(/Route "\/posts\/\[slug\]": Next\.js encountered (uncached or )?runtime data on a route that must be fully static/);
  });
});
