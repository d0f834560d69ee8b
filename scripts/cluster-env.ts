// Several `next start` instances of one build, optionally behind nginx: what `npm run cluster` runs, and what the test
// runner starts to test the shared cache across instances. Every instance gets its own copy of the build directory,
// as separate machines would have: whatever reaches instance B from A must go through the shared store (Redis), never
// through a file both happen to read.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import tls from 'node:tls';
import { freePort } from '@/db/embedded';
import { serverActionsKey } from './local-secret';
import { spawnTied } from './process/supervise';
import { withServerHeapBound } from './server-heap';

export const NEXT_BIN = 'node_modules/next/dist/bin/next';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
export const NGINX_TEMPLATE = path.resolve('deploy/nginx/cluster.conf.template');
export const INSTANCE_NAMES = ['a', 'b'] as const;
export type InstanceName = (typeof INSTANCE_NAMES)[number];

type Log = (line: string) => void;
const defaultLog: Log = (line) => process.stdout.write(`${line}\n`);

// ── child processes ────────────────────────────────────────────────────────────────────────────────────────────

export interface Proc {
  name: string;
  pid: number;
  /** Resolves with the exit code (128 + n for a signal). */
  exited: Promise<number>;
  running(): boolean;
  /** Sends its stop signal (SIGKILL after its grace period); resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts a process tied to this one (scripts/process/supervise.ts: its own process group, so a Ctrl-C reaches only
 * the orchestrator, which stops things in order; stopped by its tether if the orchestrator dies), with its output
 * lines prefixed by its name.
 */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  log: Log = defaultLog,
  { stopSignal = 'SIGTERM', graceMs = 15_000 }: { stopSignal?: NodeJS.Signals; graceMs?: number } = {},
): Proc {
  const tied = spawnTied(name, command, args, { env, stopSignal, graceMs, output: 'pipe' });
  for (const stream of [tied.stdout!, tied.stderr!]) {
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => log(`[${name}] ${line}`));
  }
  return {
    name,
    pid: tied.pid,
    exited: tied.exited,
    running: () => tied.running,
    stop: async () => void (await tied.stop()),
  };
}

/** Whether something already listens on `port` (binding to it fails). */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(true));
    server.listen(port, host, () => server.close(() => resolve(false)));
  });
}

/** Waits until `url` answers over HTTP (any status), or fails when `proc` exits first or `timeoutMs` passes. */
export async function waitForHttp(url: string, proc: Pick<Proc, 'name' | 'exited'>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | undefined;
  void proc.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`${proc.name} exited with code ${exitCode} before it answered at ${url}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(5_000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${proc.name} did not answer at ${url} within ${timeoutMs / 1000} s`);
}

// ── Redis ──────────────────────────────────────────────────────────────────────────────────────────────────────

const resp = (...parts: string[]) => `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;

/**
 * Checks that a Redis server answers at `url` (redis:// or rediss://, with credentials when the URL has them):
 * AUTH if needed, then PING. Throws with Redis's own answer or the connection error.
 */
export function pingRedis(url: string, timeoutMs = 2_000): Promise<void> {
  const u = new URL(url);
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') return Promise.reject(new Error(`not a redis:// URL: ${u.protocol}`));
  const host = u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(u.port || 6379);
  const commands: string[][] = [];
  if (u.password) commands.push(u.username ? ['AUTH', decodeURIComponent(u.username), decodeURIComponent(u.password)] : ['AUTH', decodeURIComponent(u.password)]);
  commands.push(['PING']);
  return new Promise((resolve, reject) => {
    const socket = u.protocol === 'rediss:' ? tls.connect({ host, port, ...(net.isIP(host) === 0 && { servername: host }) }) : net.connect({ host, port });
    const timer = setTimeout(() => finish(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    let buffered = '';
    let replies = 0;
    let done = false;
    function finish(error?: Error) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    }
    socket.once(u.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => socket.write(commands.map((c) => resp(...c)).join('')));
    socket.on('error', (error) => finish(error));
    socket.on('close', () => finish(new Error('connection closed before Redis answered')));
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      let end: number;
      while ((end = buffered.indexOf('\r\n')) !== -1) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (line.startsWith('-')) return finish(new Error(line.slice(1)));
        replies += 1;
        if (replies === commands.length) return finish(line === '+PONG' ? undefined : new Error(`unexpected answer to PING: ${line}`));
      }
    });
  });
}

/** Redis URL with the password hidden, for messages. */
export const redactRedisUrl = (url: string) => {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
};

/** Refuses (throws, with the way to start Redis) unless Redis answers at `url`. */
export async function requireRedis(url: string): Promise<void> {
  try {
    await pingRedis(url);
  } catch (error) {
    throw new Error(
      `Redis does not answer at ${redactRedisUrl(url)} (${(error as Error).message}).\n` +
        'Several instances share their cache and every invalidation through Redis: without it each instance would ' +
        'serve its own, possibly stale, copy. Start Redis first, for example:\n' +
        '  apt-get install -y redis-server && redis-server --bind 127.0.0.1 --port 6379 --daemonize yes\n' +
        '  (or: docker run -d -p 127.0.0.1:6379:6379 redis:7)\n' +
        'or point REDIS_URL at one (redis://[:password@]host:port).',
    );
  }
}

// ── one deployment's settings ──────────────────────────────────────────────────────────────────────────────────

/** Next.js accepts an AES key of 16, 24 or 32 bytes, base64-encoded. */
export function checkServerActionsKey(key: string): string {
  const bytes = Buffer.from(key, 'base64');
  if (![16, 24, 32].includes(bytes.length) || bytes.toString('base64') !== key.replace(/\s+/g, '')) {
    throw new Error('NEXT_SERVER_ACTIONS_ENCRYPTION_KEY must be base64 of 16, 24 or 32 random bytes (`openssl rand -base64 32`).');
  }
  return key;
}

/** A new deployment id: the commit and the time of the build, so two builds never share one. */
export function newDeploymentId(): string {
  let commit = 'nogit';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {}
  return `${commit}-${Date.now().toString(36)}`;
}

/**
 * What every instance of one deployment must share, at build time AND at run time: the Server Actions key (from the
 * environment, or the local one in .data/) and the deployment id (from NEXT_DEPLOYMENT_ID, or a new one).
 */
export function deploymentEnv(env: Record<string, string | undefined> = process.env) {
  return {
    NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: checkServerActionsKey(env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY || serverActionsKey()),
    NEXT_DEPLOYMENT_ID: env.NEXT_DEPLOYMENT_ID || newDeploymentId(),
  };
}

// ── nginx ──────────────────────────────────────────────────────────────────────────────────────────────────────

export const NGINX_MISSING =
  'nginx was not found (looked for NGINX_BIN, `nginx` on PATH and /usr/sbin/nginx).\n' +
  'Install it with `apt-get install -y nginx` (Debian/Ubuntu; on Debian this also enables a system nginx on port 80,\n' +
  '`systemctl disable --now nginx` if you do not want it: the cluster runs its own), or set NGINX_BIN.';

export function findNginx(): string | null {
  if (process.env.NGINX_BIN) return existsSync(process.env.NGINX_BIN) ? process.env.NGINX_BIN : null;
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin']) {
    const candidate = path.join(dir, 'nginx');
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

export interface NginxUpstream {
  name: string;
  /** host:port */
  address: string;
}

/** deploy/nginx/cluster.conf.template with its placeholders filled in. */
export function renderNginxConfig({ prefix, listen, upstreams }: { prefix: string; listen: string; upstreams: NginxUpstream[] }): string {
  for (const u of upstreams) {
    if (!/^[a-z0-9]+$/.test(u.name) || !/^[\w.:[\]-]+$/.test(u.address)) throw new Error(`bad upstream ${JSON.stringify(u)}`);
  }
  if (/[\s;{}'"]/.test(prefix) || /[\s;{}'"]/.test(listen)) throw new Error('the nginx prefix and listen address may not contain spaces, quotes, ; or braces');
  const values: Record<string, string> = {
    prefix,
    listen,
    servers: upstreams.map((u) => `    server ${u.address};`).join('\n'),
    pinned_upstreams: upstreams.map((u) => `  upstream next_instance_${u.name} {\n    server ${u.address};\n    keepalive 4;\n  }`).join('\n'),
    pinned_map: upstreams.map((u) => `    ${u.name} next_instance_${u.name};`).join('\n'),
  };
  return readFileSync(NGINX_TEMPLATE, 'utf8').replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`unknown placeholder {{${key}}} in ${NGINX_TEMPLATE}`);
    return values[key];
  });
}

export interface Nginx {
  url: string;
  /** Where its config, pid file, access log and temporary files are. */
  prefix: string;
  proc: Proc;
  stop(): Promise<void>;
}

/**
 * Runs nginx in the foreground as the current user, with its own prefix (a new temporary directory unless `prefix`
 * is given): it reads no system config and writes nothing outside that directory.
 */
export async function startNginx({
  host = '127.0.0.1',
  port,
  upstreams,
  prefix,
  log = defaultLog,
}: {
  host?: string;
  port: number;
  upstreams: NginxUpstream[];
  prefix?: string;
  log?: Log;
}): Promise<Nginx> {
  const bin = findNginx();
  if (!bin) throw new Error(NGINX_MISSING);
  const dir = prefix ?? mkdtempSync(path.join(os.tmpdir(), 'ntc-nginx-'));
  mkdirSync(dir, { recursive: true });
  // Run as root, nginx's workers drop to an unprivileged user, which must be able to reach its temp paths.
  chmodSync(dir, 0o755);
  const listen = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const configFile = path.join(dir, 'nginx.conf');
  writeFileSync(configFile, renderNginxConfig({ prefix: dir, listen, upstreams }));
  // -e stderr: without it nginx first tries the system's error log path, before it has read our config.
  // SIGQUIT: graceful, nginx finishes the requests it is serving, then exits.
  const proc = startProcess('nginx', bin, ['-p', dir, '-c', configFile, '-e', 'stderr'], process.env, log, { stopSignal: 'SIGQUIT' });
  const url = host === '0.0.0.0' ? `http://127.0.0.1:${port}` : host === '::' ? `http://[::1]:${port}` : `http://${listen}`;
  try {
    await waitForHttp(url, proc, 15_000);
  } catch (error) {
    await proc.stop();
    throw error;
  }
  return {
    url,
    prefix: dir,
    proc,
    stop: () => proc.stop().finally(() => prefix === undefined && rmSync(dir, { recursive: true, force: true })),
  };
}

// ── the cluster ────────────────────────────────────────────────────────────────────────────────────────────────

export interface Instance {
  name: InstanceName;
  port: number;
  url: string;
  /** This instance's copy of the build. */
  distDir: string;
  running(): boolean;
  /** The current process, if started. */
  proc(): Proc | undefined;
  /** Starts it (again, after stop(): same port, same copy of the build) and waits until it answers. */
  start(): Promise<void>;
  /** SIGTERM: Next.js stops accepting connections and finishes the requests in flight, then exits. */
  stop(): Promise<void>;
}

export interface Cluster {
  urlA: string;
  urlB: string;
  /** The load balancer, when started with `nginx: true`. */
  lbUrl?: string;
  instances: Record<InstanceName, Instance>;
  nginx?: Nginx;
  /** nginx first (it finishes what it is serving), then the instances (they drain); then the copies are removed. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /**
   * The app's environment: DATABASE_URL, secrets, INVENTORY_API_URL, REDIS_URL, and the SAME
   * NEXT_SERVER_ACTIONS_ENCRYPTION_KEY and NEXT_DEPLOYMENT_ID the build had (see deploymentEnv()).
   */
  env: NodeJS.ProcessEnv;
  /** A finished `next build` (its NEXT_DIST_DIR). It is copied once per instance and never written to. */
  distDir: string;
  /** Free ports are picked for any not given. */
  ports?: { a?: number; b?: number; lb?: number };
  /** Start nginx in front (round robin) on `ports.lb`. */
  nginx?: boolean;
  /** Where nginx listens (default 127.0.0.1). The instances always listen on 127.0.0.1 only. */
  host?: string;
  log?: Log;
  /** Readiness check path (default /feed.xml: a route that touches the database). */
  readyPath?: string;
  /**
   * Leave the instances' copies of the build in place when stopping (the next start replaces them). Removing them
   * (tens of MB of small files) was measured at several seconds here: `npm run cluster` keeps them so Ctrl-C is quick.
   */
  keepCopies?: boolean;
}

/** Copies a build for one instance, leaving out the compiler's cache (tens of MB, never read by `next start`). */
function copyBuild(from: string, to: string) {
  rmSync(to, { recursive: true, force: true });
  const skip = new Set(['turbopack', 'webpack', 'swc'].map((d) => path.resolve(from, 'cache', d)));
  cpSync(from, to, { recursive: true, filter: (source) => !skip.has(path.resolve(source)) });
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const { env, distDir, log = defaultLog, readyPath = '/feed.xml' } = options;
  if (!existsSync(path.join(distDir, 'BUILD_ID'))) throw new Error(`${distDir} holds no finished build (no BUILD_ID): run next build first`);
  for (const key of ['NEXT_SERVER_ACTIONS_ENCRYPTION_KEY', 'NEXT_DEPLOYMENT_ID'] as const) {
    if (!env[key]) throw new Error(`startCluster: ${key} must be set, the same as for the build (deploymentEnv())`);
  }
  const ports = {
    a: options.ports?.a ?? (await freePort()),
    b: options.ports?.b ?? (await freePort()),
    lb: options.ports?.lb ?? (options.nginx ? await freePort() : undefined),
  };
  for (const [name, port] of Object.entries(ports)) {
    if (port !== undefined && (await portInUse(port, name === 'lb' ? (options.host ?? '127.0.0.1') : '127.0.0.1'))) {
      // Checked first: otherwise the readiness check could be answered by whatever already listens there.
      throw new Error(`port ${port} (${name === 'lb' ? 'load balancer' : `instance ${name}`}) is already in use`);
    }
  }
  const lbOrigin = options.nginx ? `http://localhost:${ports.lb}` : undefined;

  const instances = {} as Record<InstanceName, Instance>;
  for (const name of INSTANCE_NAMES) {
    const port = ports[name];
    const url = `http://127.0.0.1:${port}`;
    const copy = `${distDir.replace(/\/+$/, '')}-instance-${name}`;
    copyBuild(distDir, copy);
    const instanceEnv: NodeJS.ProcessEnv = {
      ...withServerHeapBound(env),
      NEXT_DIST_DIR: copy,
      NEXT_TELEMETRY_DISABLED: '1',
      // The instances are reached through a proxy on this machine: trust its X-Forwarded-* headers, and no one else's.
      TRUST_PROXY: env.TRUST_PROXY ?? 'loopback',
      // Behind the balancer, the public origin (feed links, auth) is the balancer's, not the instance's own port.
      ...(lbOrigin && !env.SITE_URL && { SITE_URL: lbOrigin }),
      NTC_INSTANCE: name,
    };
    let proc: Proc | undefined;
    instances[name] = {
      name,
      port,
      url,
      distDir: copy,
      running: () => proc?.running() ?? false,
      proc: () => proc,
      async start() {
        if (instances[name].running()) return;
        proc = startProcess(name, process.execPath, [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(port)], instanceEnv, log);
        await waitForHttp(`${url}${readyPath}`, proc);
      },
      async stop() {
        await proc?.stop();
      },
    };
  }

  let nginx: Nginx | undefined;
  const stop = async () => {
    await nginx?.stop();
    await Promise.all(INSTANCE_NAMES.map((n) => instances[n].stop()));
    if (!options.keepCopies) for (const n of INSTANCE_NAMES) rmSync(instances[n].distDir, { recursive: true, force: true });
  };
  try {
    await Promise.all(INSTANCE_NAMES.map((n) => instances[n].start()));
    if (options.nginx) {
      nginx = await startNginx({
        host: options.host,
        port: ports.lb!,
        upstreams: INSTANCE_NAMES.map((n) => ({ name: n, address: `127.0.0.1:${ports[n]}` })),
        log,
      });
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { urlA: instances.a.url, urlB: instances.b.url, lbUrl: nginx?.url, instances, nginx, stop };
}
