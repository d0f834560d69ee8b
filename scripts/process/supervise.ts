// Child processes for the local orchestrators (scripts/with-db.ts, scripts/demo.ts) that never outlive them:
// each command runs under scripts/process/tether.mjs, in its own process group, so
//   - a Ctrl-C in the terminal reaches only the orchestrator, which then stops its children in a chosen order
//     (the app first, drained; the database last) instead of all at once;
//   - if the orchestrator dies without stopping them (SIGKILL, a crash), each tether stops its command.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';

const TETHER = path.resolve(import.meta.dirname, 'tether.mjs');

export interface TiedProcess {
  readonly name: string;
  readonly pid: number;
  /** The command's stdout/stderr when started with `output: 'pipe'`. */
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** Resolves with the exit code (128 + n for signal n) once the command has exited. */
  readonly exited: Promise<number>;
  readonly running: boolean;
  /** Asks the command to stop (its stop signal) and waits for it to exit. */
  stop(): Promise<number>;
}

export interface TieOptions {
  env?: NodeJS.ProcessEnv;
  /** Signal that asks the command to stop (PostgreSQL: SIGINT, its fast shutdown). Default SIGTERM. */
  stopSignal?: NodeJS.Signals;
  /** How long a stopping command may take (draining requests) before it is SIGKILLed. Default 30 s. */
  graceMs?: number;
  output?: 'inherit' | 'pipe';
  /** Run as this user (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
}

/** Starts `command` tied to this process (see the top of this file). */
export function spawnTied(name: string, command: string, args: string[], options: TieOptions = {}): TiedProcess {
  const { env = process.env, stopSignal = 'SIGTERM', graceMs = 30_000, output = 'inherit', uid, gid } = options;
  const child: ChildProcess = spawn(process.execPath, [TETHER, stopSignal, String(graceMs), command, ...args], {
    env,
    detached: true,
    // stdin is not passed on: a process outside the terminal's foreground group must not read from it.
    stdio: ['ignore', output, output, 'pipe'],
    ...(uid !== undefined && { uid, gid }),
  });
  let running = true;
  const exited = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => {
      running = false;
      resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0));
    });
    child.on('error', (error) => {
      running = false;
      console.error(`${name}: ${error.message}`);
      resolve(127);
    });
  });
  return {
    name,
    pid: child.pid ?? -1,
    stdout: child.stdout,
    stderr: child.stderr,
    exited,
    get running() {
      return running;
    },
    stop() {
      if (running) child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * Things to stop in the reverse of the order they were started: the app before the services it uses, the database
 * last. The shutdown runs once, whatever starts it first (a signal, the parent's death, a failure, the end).
 */
export class Shutdown {
  private readonly steps: { name: string; stop: () => Promise<unknown> }[] = [];
  private running: Promise<void> | undefined;
  /** What the process exits with after a signal. */
  exitCode = 0;

  /** `stopped`, if given, hears of each step once it is done, and how long it took. */
  constructor(private readonly stopped?: (name: string, ms: number) => void) {}

  get started() {
    return this.running !== undefined;
  }

  /** Registers something to stop; returns it. */
  add<T extends { stop(): Promise<unknown> }>(name: string, thing: T): T {
    this.steps.push({ name, stop: () => thing.stop() });
    return thing;
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        const started = performance.now();
        await step.stop().catch((error) => console.error(`Stopping ${step.name}: ${error}`));
        this.stopped?.(step.name, performance.now() - started);
      }
    })();
    return this.running;
  }

  /** Stops everything, then exits with `code`. */
  async exit(code: number): Promise<never> {
    this.exitCode = code;
    await this.run();
    process.exit(code);
  }

  /** After a signal, start nothing more: once the shutdown is under way this never resolves (it exits the process). */
  unlessStopping(): Promise<void> {
    return this.started ? new Promise<never>(() => {}) : Promise.resolve();
  }

  /**
   * Runs the shutdown, then exits with `exitCode`, on SIGINT/SIGTERM/SIGHUP and when the parent process dies (npm or a
   * shell killed with SIGKILL: we are then reparented, so our ppid changes), so that an orchestrator started through
   * `npm run` stops its children rather than run on unseen.
   */
  onSignals(log: (signal: string) => void = () => {}) {
    const handle = (signal: string) => {
      if (this.started) return;
      log(signal);
      void this.run().then(() => process.exit(this.exitCode));
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, handle);
    const parent = process.ppid;
    setInterval(() => process.ppid !== parent && handle('parent exited'), 500).unref();
  }
}
