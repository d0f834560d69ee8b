'use server';
import { refresh } from 'next/cache';

/**
 * "Refresh" on /cache: the page's live part (counters, tag states) is read per request, never cached, so showing
 * newer figures needs a new render of the page and nothing else. refresh() asks for exactly that: the client gets
 * the page's uncached data again, in place (no reload, scroll and open details kept), and no cache entry or tag is
 * touched. revalidatePath('/cache') would also expire the page for every reader; updateTag would name data that did
 * not change.
 */
export async function refreshInspector() {
  refresh();
}
