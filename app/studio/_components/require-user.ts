import { redirect } from 'next/navigation';
import { getViewer, type StudioViewer } from '@/lib/session';

/** For studio pages: the signed-in user, or a redirect to sign in (the proxy catches most cases earlier). */
export async function requireUser(path: string): Promise<StudioViewer> {
  const user = await getViewer();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(path)}`);
  return user;
}
