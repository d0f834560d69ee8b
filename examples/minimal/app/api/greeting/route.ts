import { revalidateTag } from 'next/cache';
import { recordInvalidation } from '@next-tagged-cache/handlers';
import { setGreeting } from '@/lib/greeting';

/**
 * POST { text, mode: 'max' | 'expire' }: changes the greeting and invalidates it, as a webhook would. An example
 * only: a real endpoint checks who is calling (this repository's app/api/revalidate verifies a signature).
 */
export async function POST(request: Request) {
  const { text, mode } = (await request.json()) as { text: string; mode: 'max' | 'expire' };
  await setGreeting(text);
  revalidateTag('greeting', mode === 'max' ? 'max' : { expire: 0 });
  const { status } = await recordInvalidation(['greeting'], { expire: mode === 'max' ? 31_536_000 : 0 });
  return Response.json({ status });
}
