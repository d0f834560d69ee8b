import { connection } from 'next/server';
import { Suspense } from 'react';
import { RelativeTime } from '@/app/_components/relative-time';
import { SubmitButton } from '@/app/_components/submit-button';
import { refreshInspector } from '@/lib/cache-inspector/actions';
import { inspectCache } from '@/lib/cache-inspector/inspect';
import { CountersView } from './_components/counters';
import { TagTable } from './_components/tag-table';
import { Timeline } from './_components/timeline';

export const metadata = { title: 'Cache inspector' };

export default function CachePage() {
  return (
    <div className="space-y-10">
      <header>
        <h1 className="text-3xl font-bold tracking-tight">Cache inspector</h1>
        <p className="mt-2 max-w-3xl text-zinc-600 dark:text-zinc-300">
          What the cache holds and does, live: every tag this site uses with its state, the counters of both cache
          handlers, and every invalidation from the studio’s Server Actions and from webhooks. The same counters are
          at <code>/api/metrics</code> for Prometheus. To watch a page’s regions being cached and refreshed, switch on
          the cache overlay in the footer.
        </p>
      </header>
      <Suspense fallback={<p className="text-zinc-500">Reading the live state…</p>}>
        <LiveInspector />
      </Suspense>
    </div>
  );
}

/** Live: read per request (`connection()`), so it never shows a cached state of the cache. */
async function LiveInspector() {
  await connection();
  const { conditions, counters, lastPerTag, timeline, readAt } = await inspectCache();
  return (
    <>
      <form action={refreshInspector} className="flex items-center gap-3 text-sm text-zinc-600 dark:text-zinc-300">
        <span data-testid="read-at" data-read-at={readAt}>Read <RelativeTime at={readAt} /></span>
        <SubmitButton pendingText="Refreshing…" className="border border-zinc-300 dark:border-zinc-700">Refresh</SubmitButton>
      </form>

      <section aria-labelledby="counters">
        <h2 id="counters" className="text-xl font-semibold">Counters (this instance)</h2>
        <div className="mt-2"><CountersView counters={counters} /></div>
      </section>

      <section aria-labelledby="tags">
        <h2 id="tags" className="text-xl font-semibold">Tags</h2>
        <p className="mt-1 max-w-3xl text-sm text-zinc-600 dark:text-zinc-300">
          The state is the tag store’s (the one both handlers decide by) and describes entries made before the given
          time: <em>stale</em> ones are served once more while a fresh one is made, <em>expired</em> ones never again.
          Entries made since are fresh.
          {conditions.other > 0 && ` Next's own path tags invalidated: ${conditions.other}.`}
        </p>
        <div className="mt-2"><TagTable conditions={conditions.byPattern} lastPerTag={lastPerTag} /></div>
      </section>

      <section aria-labelledby="timeline">
        <h2 id="timeline" className="text-xl font-semibold">Invalidations</h2>
        <Timeline bands={timeline} />
      </section>
    </>
  );
}
