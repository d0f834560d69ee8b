// The rendered VCL holds the purge secret and the build's revalidation id (which also enables draft mode): a real
// varnishd must run from it while no other user of the machine can read it. Needs varnishd (skipped without it).
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '@/db/embedded';
import { findVarnishd, newPurgeSecret, startEdge, type Edge } from '@/scripts/edge-env';

let edge: Edge | undefined;
const build = mkdtempSync(path.join(os.tmpdir(), 'ntc-edge-secrets-'));

afterAll(async () => {
  await edge?.stop();
  rmSync(build, { recursive: true, force: true });
});

it.skipIf(!findVarnishd())('the edge runs from a VCL that no other user can read, in a folder no other user can enter', async () => {
  writeFileSync(path.join(build, 'prerender-manifest.json'), JSON.stringify({ preview: { previewModeId: 'a1b2c3d4e5f60718' } }));
  edge = await startEdge({ port: await freePort(), backends: [{ name: 'app', host: '127.0.0.1', port: 9 }], purgeSecret: newPurgeSecret(), distDir: build, memoryMb: 16, log: () => {} });
  const others = (file: string) => statSync(file).mode & 0o007;
  expect(others(edge.vcl)).toBe(0);
  expect(statSync(edge.vcl).mode & 0o070).toBe(0);
  expect(others(path.dirname(edge.vcl))).toBe(0);
  // And it serves: varnishd could read what it needs.
  expect((await fetch(edge.url)).status).toBe(503); // no app behind it
}, 60_000);
