// One `npm run demo` per folder: a second one refuses before touching anything (no build into the running demo's
// .next, no second inventory service, no database), and says how to share what runs: the app's address, the
// database's URL and the exact command.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimDemo, demoLockFile } from '@/scripts/process/demo-lock';
import { root, runScript } from './helpers';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
function folder() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ntc-second-demo-'));
  folders.push(dir);
  return dir;
}

describe('a second npm run demo in the same folder', () => {
  it('refuses at once, giving the running app, its database URL and what to do', async () => {
    const dir = folder();
    // The first demo, as far as a second one can see it: its claim on the folder, with what it serves.
    const first = claimDemo(dir);
    if (!first.claimed) throw new Error('the fresh folder was already claimed');
    const databaseUrl = 'postgres://app:s3cret@127.0.0.1:45678/app';
    first.update({ databaseUrl, appUrl: 'http://localhost:3000' });

    const env: NodeJS.ProcessEnv = { ...process.env, TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json'), PORT: '1', INVENTORY_PORT: '1' };
    delete env.DATABASE_URL;
    const second = runScript(path.join(root, 'scripts/demo.ts'), [], env, dir);
    expect(await second.exited).toBe(1);
    const message = second.output();
    expect(message).toContain(`already running in this folder (pid ${process.pid}), serving http://localhost:3000`);
    expect(message).toContain(`DATABASE_URL='${databaseUrl}' npm run db:seed`);
    expect(message).toMatch(/stop it first \(Ctrl-C in its terminal/);
    // Nothing was started or built: the folder holds only the first demo's claim.
    expect(readdirSync(dir)).toEqual(['.data']);
    expect(readdirSync(path.join(dir, '.data'))).toEqual(['demo.json']);

    first.release();
    expect(existsSync(demoLockFile(dir))).toBe(false);
  });

  it('npm run build refuses too while the demo serves .next', async () => {
    const dir = folder();
    const first = claimDemo(dir);
    if (!first.claimed) throw new Error('the fresh folder was already claimed');
    const env: NodeJS.ProcessEnv = { ...process.env, TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json'), DATABASE_URL: 'postgres://unused@127.0.0.1:1/x' };
    delete env.NEXT_DIST_DIR;
    const build = runScript(path.join(root, 'scripts/with-db.ts'), ['next', 'build'], env, dir);
    expect(await build.exited).toBe(1);
    expect(build.output()).toContain(`\`npm run demo\` (pid ${process.pid}) is serving this folder's .next`);
    expect(readdirSync(dir)).toEqual(['.data']);
    first.release();
  });

  it("takes over a claim whose demo is gone (it was killed), and never releases another's", () => {
    const dir = folder();
    const gone = Number(execFileSync(process.execPath, ['-p', 'process.pid'], { encoding: 'utf8' }));
    mkdirSync(path.dirname(demoLockFile(dir)));
    writeFileSync(demoLockFile(dir), JSON.stringify({ pid: gone }));
    const claim = claimDemo(dir);
    expect(claim.claimed).toBe(true);
    if (!claim.claimed) return;
    // Someone else's claim now (as if this one had been taken over): release leaves it alone.
    writeFileSync(demoLockFile(dir), JSON.stringify({ pid: process.ppid }));
    claim.release();
    expect(existsSync(demoLockFile(dir))).toBe(true);
  });
});
