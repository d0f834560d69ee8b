// The edge cache (Varnish, deploy/varnish/edge.vcl.template) in front of one or more app instances: what
// `npm run demo -- --edge`, `npm run cluster -- --edge`, the test runner's edge phase and the benchmark start.
// varnishd runs in the foreground with a working directory of its own (-n), listening on loopback unless told
// otherwise: it never touches a system Varnish service or its files.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startProcess, waitForHttp, type Proc } from './cluster-env';

export const VCL_TEMPLATE = path.resolve('deploy/varnish/edge.vcl.template');

export const VARNISH_MISSING =
  'varnishd was not found (looked for VARNISHD_BIN, `varnishd` on PATH and /usr/sbin/varnishd).\n' +
  'Install it with `apt-get install -y varnish varnish-modules` (Debian/Ubuntu: varnish-modules brings the xkey vmod;\n' +
  'this also enables a system varnish on port 6081, `systemctl disable --now varnish` if you do not want it: the edge\n' +
  'runs its own), or set VARNISHD_BIN.';

export function findVarnishd(): string | null {
  if (process.env.VARNISHD_BIN) return existsSync(process.env.VARNISHD_BIN) ? process.env.VARNISHD_BIN : null;
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin']) {
    const candidate = path.join(dir, 'varnishd');
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * TRUST_PROXY for an app whose only proxy is this edge, next to it: one hop. The edge sets X-Forwarded-For to the
 * address of its own client (whatever the client sent is dropped), so the app must trust exactly that one hop.
 * Without it, every client is the edge, 127.0.0.1, and one guesser's failed sign-ins hold back everyone. An operator's
 * own TRUST_PROXY wins.
 */
export const EDGE_TRUST_PROXY = '1';

/** What an app behind the edge needs in its environment: where and how to purge, its public origin, whom to trust. */
export function appEnvBehindEdge({ edgePort, purgeSecret, siteUrl, env = process.env }: { edgePort: number; purgeSecret: string; siteUrl: string; env?: Record<string, string | undefined> }) {
  return {
    EDGE_PURGE_URL: `http://127.0.0.1:${edgePort}/`,
    EDGE_PURGE_SECRET: purgeSecret,
    SITE_URL: env.SITE_URL || siteUrl,
    TRUST_PROXY: env.TRUST_PROXY || EDGE_TRUST_PROXY,
  };
}

/** A new purge secret: the app sends it with every PURGE (EDGE_PURGE_SECRET), the VCL checks it. */
export const newPurgeSecret = () => randomBytes(24).toString('base64url');

/**
 * The build's on-demand revalidation id (prerender-manifest.json, preview.previewModeId): the edge sends it on
 * background fetches so the app renders fresh rather than answering its own stale copy. A secret: it also enables
 * draft mode. It never leaves the VCL (the edge strips the header from client requests).
 */
export function revalidateId(distDir: string): string {
  const manifest = JSON.parse(readFileSync(path.join(distDir, 'prerender-manifest.json'), 'utf8'));
  const id = manifest?.preview?.previewModeId;
  if (typeof id !== 'string' || !/^[0-9a-f]{16,}$/.test(id)) throw new Error(`${distDir}/prerender-manifest.json has no preview.previewModeId`);
  return id;
}

export interface EdgeBackend {
  name: string;
  host: string;
  port: number;
}

/** edge.vcl.template with its placeholders filled in. */
export function renderVcl({ backends, purgeSecret, revalidate }: { backends: EdgeBackend[]; purgeSecret: string; revalidate: string }): string {
  if (backends.length === 0) throw new Error('the edge needs at least one backend');
  for (const b of backends) {
    if (!/^[a-z][a-z0-9_]*$/.test(b.name) || !/^[\w.:-]+$/.test(b.host) || !Number.isInteger(b.port)) throw new Error(`bad backend ${JSON.stringify(b)}`);
  }
  // Both are written inside VCL strings: nothing that could end one.
  if (!/^[\w-]{16,}$/.test(purgeSecret)) throw new Error('the purge secret must be 16+ characters of [A-Za-z0-9_-]');
  if (!/^[0-9a-f]+$/.test(revalidate)) throw new Error('bad revalidation id');
  const values: Record<string, string> = {
    backends: backends
      .map(
        (b) =>
          `backend ${b.name} {\n  .host = "${b.host}";\n  .port = "${b.port}";\n  .first_byte_timeout = 60s;\n` +
          `  .probe = { .url = "/feed.xml"; .interval = 2s; .timeout = 5s; .window = 3; .threshold = 2; .initial = 2; }\n}`,
      )
      .join('\n'),
    director_members: backends.map((b) => `  instances.add_backend(${b.name});`).join('\n'),
    purge_secret: purgeSecret,
    revalidate_id: revalidate,
  };
  return readFileSync(VCL_TEMPLATE, 'utf8').replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`unknown placeholder {{${key}}} in ${VCL_TEMPLATE}`);
    return values[key];
  });
}

/**
 * Started as root, varnishd reads the VCL as its own user (varnish) and runs its worker as another (vcache), both
 * in the group varnish: the VCL becomes theirs, and the folder is open to that group only (mode 0710), never to
 * everyone. Otherwise varnishd runs as the user who started it, who owns both already.
 */
function grantToVarnish(dir: string, vcl: string) {
  if (process.getuid?.() !== 0) return;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'varnish'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  let varnish: { uid: number; gid: number };
  try {
    varnish = { uid: id('-u'), gid: id('-g') };
  } catch {
    return; // no varnish user: varnishd keeps running as root, which owns both
  }
  chownSync(vcl, varnish.uid, varnish.gid);
  chownSync(dir, 0, varnish.gid);
  chmodSync(dir, 0o710);
}

export interface Edge {
  /** Where clients reach it. */
  url: string;
  /** What the app purges (EDGE_PURGE_URL): the edge on loopback. */
  purgeUrl: string;
  /** The rendered VCL (it holds the purge secret: readable by varnishd only). */
  vcl: string;
  proc: Proc;
  stop(): Promise<void>;
}

type Log = (line: string) => void;

/**
 * Starts varnishd in front of `backends`. `purgeSecret` must be the app's EDGE_PURGE_SECRET; `distDir` the build the
 * backends run (its on-demand revalidation id).
 */
export async function startEdge({
  host = '127.0.0.1',
  port,
  backends,
  purgeSecret,
  distDir,
  memoryMb = 256,
  log,
}: {
  host?: string;
  port: number;
  backends: EdgeBackend[];
  purgeSecret: string;
  distDir: string;
  memoryMb?: number;
  log?: Log;
}): Promise<Edge> {
  const bin = findVarnishd();
  if (!bin) throw new Error(VARNISH_MISSING);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ntc-varnish-'));
  const vcl = path.join(dir, 'edge.vcl');
  // The VCL holds the purge secret and the build's revalidation id: only varnishd may read it.
  writeFileSync(vcl, renderVcl({ backends, purgeSecret, revalidate: revalidateId(distDir) }), { mode: 0o600 });
  grantToVarnish(dir, vcl);
  const listen = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const proc = startProcess(
    'varnish',
    bin,
    // -F: foreground, stopped by our signal; -n: its own working directory; -T none: no management port.
    ['-F', '-n', path.join(dir, 'work'), '-a', listen, '-f', vcl, '-s', `malloc,${memoryMb}m`, '-T', 'none', '-p', 'vcc_allow_inline_c=off'],
    process.env,
    log,
    { graceMs: 10_000 },
  );
  const url = host === '0.0.0.0' ? `http://127.0.0.1:${port}` : host === '::' ? `http://[::1]:${port}` : `http://${listen}`;
  try {
    await waitForHttp(url, proc, 30_000);
  } catch (error) {
    await proc.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    purgeUrl: `http://127.0.0.1:${port}/`,
    vcl,
    proc,
    stop: () => proc.stop().finally(() => rmSync(dir, { recursive: true, force: true })),
  };
}
