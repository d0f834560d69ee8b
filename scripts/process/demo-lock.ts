// One `npm run demo` per folder. A second one would rebuild .next under the running server (breaking the Server
// Actions of pages already open) and start a second inventory service on the same data file, so it refuses instead,
// and says how to reach what is running. The claim is a file in .data/ naming the demo's process; a claim whose
// process is gone (the demo was SIGKILLed) is stale and taken over.
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface DemoInfo {
  pid: number;
  /** Where the app is served, and the database it uses (set once they are known). */
  appUrl?: string;
  databaseUrl?: string;
  inventoryUrl?: string;
  /** The build directory it serves (NEXT_DIST_DIR, default .next). */
  distDir?: string;
}

export const demoLockFile = (folder: string) => path.join(folder, '.data', 'demo.json');

/** The claim's content, whoever wrote it. */
function readClaim(file: string): DemoInfo | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DemoInfo;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The demo running in `folder`, if any. */
export function runningDemo(folder: string): DemoInfo | null {
  const info = readClaim(demoLockFile(folder));
  return info && Number.isInteger(info.pid) && info.pid !== process.pid && alive(info.pid) ? info : null;
}

/**
 * Claims `folder` for this process's demo. Returns the demo already running there instead, if there is one.
 * `update` records what the demo serves; `release` removes the claim (only ever our own).
 */
export function claimDemo(folder: string):
  | { claimed: true; update(info: Omit<DemoInfo, 'pid'>): void; release(): void }
  | { claimed: false; running: DemoInfo } {
  const file = demoLockFile(folder);
  mkdirSync(path.dirname(file), { recursive: true });
  let info: DemoInfo = { pid: process.pid };
  const mine = () => readClaim(file)?.pid === process.pid;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // 'wx': created only if absent, so of two demos starting together exactly one gets it.
      writeFileSync(file, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
      return {
        claimed: true,
        update(more) {
          info = { ...info, ...more };
          if (mine()) writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
        },
        release() {
          if (mine()) rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const running = runningDemo(folder);
      if (running) return { claimed: false, running };
      rmSync(file, { force: true }); // stale: its demo is gone
    }
  }
  throw new Error(`Could not claim ${file}: another demo keeps claiming it`);
}

/** What to tell someone starting a second demo in the same folder. */
export function secondDemoMessage(running: DemoInfo): string {
  const lines = [
    `\`npm run demo\` is already running in this folder (pid ${running.pid})` +
      (running.appUrl ? `, serving ${running.appUrl}.` : ', still starting.'),
    `A second one here would rebuild ${running.distDir ?? '.next'} under it (breaking the Server Actions of its open pages) and start a`,
    'second inventory service on the same data, so this one stops.',
    running.appUrl ? `• To use the demo, open ${running.appUrl}.` : '• To use the demo, wait for it to print "Serving on …".',
    `• To restart it, stop it first (Ctrl-C in its terminal, or \`kill ${running.pid}\`), then run \`npm run demo\` again.`,
  ];
  if (running.databaseUrl) {
    lines.push(
      '• To run a tool against its database, give the tool its URL, e.g.',
      `    DATABASE_URL='${running.databaseUrl}' npm run db:seed`,
    );
  }
  lines.push('• To run a second, separate demo, use another checkout (its own .next, .data and ports: PORT, INVENTORY_PORT).');
  return lines.join('\n');
}
