// What a client sends is bounded in bytes and in time, however it sends it (lib/request-body.ts,
// lib/request-limits.ts): a chunked body cannot slip past a Content-Length check, and a slow one cannot hold a socket
// for minutes.
import net from 'node:net';
import { expect, test } from '@playwright/test';
import { ADA, signedInPage } from './support/studio';

const base = new URL(process.env.BASE_URL ?? 'http://127.0.0.1:3000');
const bodyTimeoutMs = Number(process.env.REQUEST_BODY_TIMEOUT_MS ?? 30_000);

/** A body of `megabytes` MiB sent in chunks, with no Content-Length. */
function chunkedBody(megabytes: number) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < megabytes; i++) controller.enqueue(new TextEncoder().encode('a'.repeat(1024 * 1024)));
      controller.close();
    },
  });
}

test('a chunked body past the form limit is refused with 413, for a signed-in author too', async ({ browser }) => {
  const ada = await signedInPage(browser, ADA);
  try {
    const cookie = (await ada.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const response = await fetch(new URL('/api/preview', base), {
      method: 'POST',
      headers: { cookie, origin: base.origin, 'content-type': 'multipart/form-data; boundary=x' },
      body: chunkedBody(8),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.text()).toBe('The form is too large to preview.');
  } finally {
    await ada.context().close();
  }
});

test('a client that sends its body too slowly is cut off after REQUEST_BODY_TIMEOUT_MS', async () => {
  test.skip(!!process.env.EDGE, 'the edge reads bodies before the app sees them');
  const socket = net.connect(Number(base.port), base.hostname);
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
  socket.on('error', () => {});
  socket.resume(); // read (and drop) whatever it answers, or the end of the stream is never seen
  await new Promise((resolve) => socket.once('connect', resolve));
  const started = performance.now();
  // Signature headers of the right shape, so the webhook goes on to read the body (and waits for it).
  const signature = `webhook-id: msg_slow\r\nwebhook-timestamp: ${Math.floor(Date.now() / 1000)}\r\nwebhook-signature: v1,AAAA\r\n`;
  socket.write(`POST /api/revalidate HTTP/1.1\r\nHost: ${base.host}\r\n${signature}Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"tags":`);
  const gone = await Promise.race([closed, new Promise<null>((resolve) => setTimeout(resolve, bodyTimeoutMs + 10_000, null))]);
  socket.destroy();
  expect(gone, 'the server still held the connection').not.toBeNull();
  expect(gone! - started).toBeGreaterThanOrEqual(bodyTimeoutMs - 100);
});
