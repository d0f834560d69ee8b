// A private redis-server for tests that stop and start Redis: the shared one on 6379 is never touched.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';

/** Resolves once something accepts TCP connections on `port`, or rejects after `timeoutMs`. */
async function listening(port: number, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export class RedisServer {
  #child: ChildProcess | null = null;
  #exited: Promise<number> = new Promise(() => {});

  constructor(readonly port: number) {}

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running() {
    return this.#child !== null && this.#child.exitCode === null;
  }

  /** Resolves with the exit code (128 + n for a signal) when the running server ends, for whatever reason. */
  get exited(): Promise<number> {
    return this.#exited;
  }

  /** Starts an empty, memory-only server (as after a crash without persistence). */
  async start() {
    if (this.running) return;
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    this.#child = child;
    const failed = new Promise<never>((_, reject) =>
      child.once('error', (error) =>
        reject(new Error(`could not start redis-server (${error.message}): is it installed (apt-get install -y redis-server)?`)),
      ),
    );
    this.#exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0))));
    await Promise.race([listening(this.port), failed]);
  }

  /** Kills it at once, as a crash or a network partition would look to the app. */
  async stop() {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  }
}

/** A port nothing listens on now, for a server a test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
