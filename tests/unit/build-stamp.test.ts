// The demo's rebuild decision (scripts/process/build-stamp.ts): reuse a build only when it is complete, was stamped
// by the demo, and nothing it was made from changed; otherwise say what changed.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildInputs, clearStamp, rebuildReasons, writeStamp, type BuildInputs } from '@/scripts/process/build-stamp';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project folder (not a git checkout: every file under the inputs counts) with a finished build in .next. */
function project() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ntc-build-stamp-'));
  dirs.push(root);
  mkdirSync(path.join(root, 'app'));
  writeFileSync(path.join(root, 'app/page.tsx'), 'export default function Page() { return null; }\n');
  writeFileSync(path.join(root, 'next.config.ts'), 'export default {};\n');
  const distDir = path.join(root, '.next');
  mkdirSync(distDir);
  for (const file of ['routes-manifest.json', 'prerender-manifest.json', 'required-server-files.json']) writeFileSync(path.join(distDir, file), '{}');
  writeFileSync(path.join(distDir, 'BUILD_ID'), 'build-1');
  return { root, distDir };
}
const env = { PORT: '3000', SITE_URL: 'http://localhost:3000' };

describe('rebuildReasons', () => {
  it('reuses a stamped build when sources, settings and database are unchanged', () => {
    const { root, distDir } = project();
    writeStamp(distDir, buildInputs(root, env, 'db-a'));
    expect(rebuildReasons(distDir, buildInputs(root, env, 'db-a'))).toEqual([]);
  });

  it('names the changed source file, the changed setting and a changed database', () => {
    const { root, distDir } = project();
    writeStamp(distDir, buildInputs(root, env, 'db-a'));
    writeFileSync(path.join(root, 'app/page.tsx'), 'export default function Page() { return "changed"; }\n');
    writeFileSync(path.join(root, 'app/new.tsx'), 'export {};\n');
    const reasons = rebuildReasons(distDir, buildInputs(root, { ...env, SITE_URL: 'https://blog.example' }, 'db-b'));
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toBe('Sources changed since the last build (app/new.tsx, app/page.tsx)');
    expect(reasons[1]).toBe('Build settings changed since the last build (SITE_URL)');
    expect(reasons[2]).toMatch(/^The database changed since the last build/);
  });

  it('never stores a setting in the clear (some hold credentials)', () => {
    const { root } = project();
    const inputs: BuildInputs = buildInputs(root, { REDIS_URL: 'redis://:hunter2@127.0.0.1:6379' }, 'db');
    expect(JSON.stringify(inputs)).not.toContain('hunter2');
    expect(inputs.env.REDIS_URL).toMatch(/^[0-9a-f]{16}$/);
  });

  it('rebuilds when there is no build, an unstamped one, one replaced since, or an interrupted one', () => {
    const { root, distDir } = project();
    const inputs = buildInputs(root, env, 'db-a');
    expect(rebuildReasons(distDir, inputs)).toEqual([`The build in ${distDir} was not made by \`npm run demo\` (or was replaced since)`]);
    writeStamp(distDir, inputs);
    writeFileSync(path.join(distDir, 'BUILD_ID'), 'build-2'); // `npm run build` ran since
    expect(rebuildReasons(distDir, inputs)[0]).toMatch(/was not made by `npm run demo`/);
    writeFileSync(path.join(distDir, 'BUILD_ID'), 'build-1');
    expect(rebuildReasons(distDir, inputs)).toEqual([]);
    clearStamp(distDir); // what the demo does before building: an interrupted build leaves no stamp
    expect(rebuildReasons(distDir, inputs)).toHaveLength(1);
    rmSync(path.join(distDir, 'BUILD_ID'));
    expect(rebuildReasons(distDir, inputs)).toEqual([`No complete build in ${distDir} yet`]);
  });
});
