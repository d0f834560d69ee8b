/**
 * A request's body, read with a byte limit that holds however the body is sent: `Content-Length` can be absent
 * (chunked) or false, so the bytes are counted as they arrive and reading stops at the first one over the limit.
 * The time a client may take is bounded by lib/request-limits.ts.
 */
export type BodyRead = { ok: true; bytes: Buffer } | { ok: false; reason: 'too-large' | 'cut-off' };

/**
 * 'cut-off': the body stream failed, which is the client's connection (Node's "aborted", ECONNRESET, EPIPE), never a
 * database: callers must not count it as an outage.
 */
export async function readBody(request: Request, limit: number): Promise<BodyRead> {
  if (Number(request.headers.get('content-length') ?? 0) > limit) return { ok: false, reason: 'too-large' };
  if (!request.body) return { ok: true, bytes: Buffer.alloc(0) };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        return { ok: false, reason: 'too-large' };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, reason: 'cut-off' };
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}

/** The body as a form, read within `limit` bytes; the same answers as readBody, plus 'not-a-form'. */
export async function readForm(request: Request, limit: number): Promise<{ ok: true; form: FormData } | { ok: false; reason: 'too-large' | 'cut-off' | 'not-a-form' }> {
  const read = await readBody(request, limit);
  if (!read.ok) return read;
  const type = request.headers.get('content-type') ?? '';
  try {
    return { ok: true, form: await new Response(new Uint8Array(read.bytes), { headers: { 'content-type': type } }).formData() };
  } catch {
    return { ok: false, reason: 'not-a-form' };
  }
}
