// A sender that hangs up while its body is still arriving is no database outage: it gets no 503 in the metrics and
// no "database unavailable" line in the log, which alerts are built on.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
vi.mock('@/lib/cache/invalidate', () => ({ invalidateAndRecord: vi.fn() }));
const { handleRevalidateWebhook } = await import('@/lib/webhooks/revalidate');
const { newSecret, signDelivery } = await import('@/lib/webhooks/secrets');
const { getMetrics } = await import('@/metrics/registry.mjs');

/** What Node's HTTP server gives a request body when its client's socket closes before the body ended. */
const clientAbort = () => Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
const socketError = (code: 'EPIPE' | 'ECONNRESET') => Object.assign(new Error(`write ${code}`), { code, syscall: 'write' });

/** A signed delivery whose body stream fails after its first chunk. */
function cutOffDelivery(failure: Error): Request {
  const secret = process.env.REVALIDATE_SECRET!.split(',')[0];
  const body = JSON.stringify({ tags: ['posts'] });
  let sent = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) return controller.error(failure);
      sent = true;
      controller.enqueue(new TextEncoder().encode(body.slice(0, 5)));
    },
  });
  return new Request('http://localhost/api/revalidate', {
    method: 'POST',
    headers: signDelivery(secret, 'msg_cut_off', body),
    body: stream,
    duplex: 'half',
  } as RequestInit);
}

async function responsesCounted(): Promise<Record<string, number>> {
  const metric = await getMetrics().webhookResponses.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.status), v.value]));
}

describe('webhook: a client that hangs up mid-body', () => {
  let errors: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    vi.stubEnv('REVALIDATE_SECRET', newSecret());
    errors = vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(() => {
    errors.mockRestore();
    vi.unstubAllEnvs();
  });

  it.each([
    ['aborted (ECONNRESET)', clientAbort()],
    ['EPIPE', socketError('EPIPE')],
    ['ECONNRESET', socketError('ECONNRESET')],
  ])('%s: no 503 counted and no database error logged', async (_name, failure) => {
    const before = await responsesCounted();
    const response = await handleRevalidateWebhook(cutOffDelivery(failure));
    const after = await responsesCounted();

    expect(response.status).not.toBe(503);
    expect(response.status).toBeLessThan(500);
    expect(after['503'] ?? 0).toBe(before['503'] ?? 0);
    // Nobody reads the answer: it is not counted as one.
    expect(after).toEqual(before);
    const logged = errors.mock.calls.map((call: unknown[]) => call.map(String).join(' '));
    expect(logged.filter((line: string) => /database/i.test(line))).toEqual([]);
  });
});
