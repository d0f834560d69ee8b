import { CacheStamp } from '@/app/_components/cache-stamp';
import { getRevalidationLog } from '@/lib/cache-log';
import { describeActor, describeOutcome, describeSource } from '@/lib/cache/log-labels';
import { tagVocabulary } from '@/lib/cache/tags';

export const metadata = { title: 'Cache log' };

const time = (d: Date) => `${d.toISOString().replace('T', ' ').slice(0, 19)} UTC`;
const modeLabel: Record<string, string> = { update: 'updateTag', max: "revalidateTag 'max'", expire: 'revalidateTag expire: 0' };

export default async function CachePage() {
  const { data, stamp } = await getRevalidationLog();
  return (
    <div className="space-y-10">
      <header>
        <h1 className="text-3xl font-bold tracking-tight">Cache log</h1>
        <p className="mt-2 max-w-3xl text-zinc-600 dark:text-zinc-300">
          Every cache invalidation, from the studio’s Server Actions and from webhooks, and the tags this site uses.
        </p>
      </header>

      <section aria-labelledby="recent">
        <h2 id="recent" className="text-xl font-semibold">Latest invalidations</h2>
        {data.recent.length === 0 ? (
          <p className="mt-2 text-zinc-500">Nothing has been invalidated yet.</p>
        ) : (
          <div className="mt-2 overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="revalidations">
              <thead className="border-b border-zinc-200 text-zinc-500 dark:border-zinc-800">
                <tr><th className="py-2 pr-4 font-medium">When</th><th className="py-2 pr-4 font-medium">Source</th><th className="py-2 pr-4 font-medium">How</th><th className="py-2 pr-4 font-medium">Tags</th><th className="py-2 pr-4 font-medium">Outcome</th><th className="py-2 font-medium">By</th></tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {data.recent.map((r) => (
                  <tr key={r.id}>
                    <td className="py-2 pr-4 whitespace-nowrap">{time(r.at)}</td>
                    <td className="py-2 pr-4">{describeSource(r)}</td>
                    <td className="py-2 pr-4 whitespace-nowrap">{modeLabel[r.mode]}</td>
                    <td className="py-2 pr-4 font-mono text-xs">{r.tags.join(' ')}</td>
                    <td className="py-2 pr-4">{describeOutcome(r)}</td>
                    <td className="py-2 font-mono text-xs">{describeActor(r)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="per-tag">
        <h2 id="per-tag" className="text-xl font-semibold">Last invalidation of each tag</h2>
        <ul className="mt-2 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2" data-testid="per-tag">
          {data.perTag.map((t) => (
            <li key={t.tag}><span className="font-mono">{t.tag}</span> — {time(t.at)} ({modeLabel[t.mode]})</li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="vocabulary">
        <h2 id="vocabulary" className="text-xl font-semibold">Tag vocabulary</h2>
        <dl className="mt-2 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
          {tagVocabulary.map((t) => (
            <div key={t.pattern} className="contents">
              <dt className="font-mono">{t.pattern}</dt>
              <dd className="text-zinc-600 dark:text-zinc-300">{t.meaning}</dd>
            </div>
          ))}
        </dl>
      </section>
      <CacheStamp stamp={stamp} />
    </div>
  );
}
