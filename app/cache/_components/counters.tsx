import type { readCounters } from '@/lib/cache-inspector/counters';
import { describeMode } from '@/lib/cache/log-labels';

type Counters = Awaited<ReturnType<typeof readCounters>>;

const th = 'py-1.5 pr-4 font-medium';
const td = 'py-1.5 pr-4 tabular-nums';

/** A number with the Prometheus series it comes from (GET /api/metrics shows the same value under that name). */
function Value({ series, value }: { series: string; value: number }) {
  return <span data-metric={series}>{Number.isInteger(value) ? value.toLocaleString('en') : value.toFixed(1)}</span>;
}

const label = (name: string, labels: Record<string, string>) =>
  `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;

export function CountersView({ counters }: { counters: Counters }) {
  return (
    <div className="grid gap-6 lg:grid-cols-2" data-testid="counters">
      <HandlerCounters counters={counters} />
      <InvalidationCounters invalidations={counters.invalidations} />
      <OtherCounters counters={counters} />
    </div>
  );
}

/** Hits, stale hits, misses and sets per handler and layer, and the average time to fill an entry. */
function HandlerCounters({ counters }: { counters: Counters }) {
  return (
    <div className="overflow-x-auto lg:col-span-2">
      <table className="w-full text-left text-sm">
        <caption className="pb-2 text-left text-zinc-500">
          Reads and writes of both cache handlers since this process started, by the layer that answered: its
          memory, or the shared store behind it.
        </caption>
        <thead className="border-b border-zinc-200 text-zinc-500 dark:border-zinc-800">
          <tr><th className={th}>Handler</th><th className={th}>Layer</th><th className={th}>Hits</th><th className={th}>Stale hits</th><th className={th}>Misses</th><th className={th}>Sets</th></tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {counters.handlers.map((row) => {
            const labels = { handler: row.handler, layer: row.layer };
            return (
              <tr key={`${row.handler}-${row.layer}`}>
                <td className="py-1.5 pr-4 font-mono text-xs">{row.handler === 'use-cache' ? "'use cache'" : 'pages'}</td>
                <td className="py-1.5 pr-4">{row.layer}</td>
                <td className={td}><Value series={label('ntc_cache_hits_total', labels)} value={row.hits} /></td>
                <td className={td}><Value series={label('ntc_cache_stale_hits_total', labels)} value={row.staleHits} /></td>
                <td className={td}><Value series={label('ntc_cache_misses_total', labels)} value={row.misses} /></td>
                <td className={td}><Value series={label('ntc_cache_sets_total', labels)} value={row.sets} /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-300">
        Making an entry on a miss took {counters.fills['use-cache'].averageMs.toFixed(1)} ms on average for{' '}
        {counters.fills['use-cache'].count} <code>&apos;use cache&apos;</code> fills and{' '}
        {counters.fills.pages.averageMs.toFixed(1)} ms for {counters.fills.pages.count} page renders.
      </p>
    </div>
  );
}

function InvalidationCounters({ invalidations }: { invalidations: Counters['invalidations'] }) {
  return (
    <div>
      <h3 className="font-medium">Invalidations</h3>
      {invalidations.length === 0 ? (
        <p className="mt-1 text-sm text-zinc-500">None since this process started.</p>
      ) : (
        <table className="mt-1 w-full text-left text-sm">
          <thead className="border-b border-zinc-200 text-zinc-500 dark:border-zinc-800">
            <tr><th className={th}>Source</th><th className={th}>Call</th><th className={th}>Invalidations</th><th className={th}>Tags</th></tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {invalidations.map((row) => {
              const labels = { source: row.source, mode: row.mode };
              return (
                <tr key={`${row.source}-${row.mode}`}>
                  <td className="py-1.5 pr-4">{row.source === 'action' ? 'studio (Server Action)' : row.source}</td>
                  <td className="py-1.5 pr-4">{describeMode(row.mode)}</td>
                  <td className={td}><Value series={label('ntc_invalidations_total', labels)} value={row.count} /></td>
                  <td className={td}><Value series={label('ntc_invalidated_tags_total', labels)} value={row.tags} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Database queries, webhook answers by status, and edge purges. */
function OtherCounters({ counters }: { counters: Counters }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 self-start text-sm">
      <dt className="text-zinc-500">Database queries</dt>
      <dd className="tabular-nums"><Value series="ntc_db_queries_total" value={counters.dbQueries} /></dd>
      <dt className="text-zinc-500">Webhook answers</dt>
      <dd>
        {counters.webhook.length === 0
          ? 'none yet'
          : counters.webhook.map((w, i) => (
              <span key={w.status}>
                {i > 0 && ', '}
                <Value series={label('ntc_webhook_responses_total', { status: w.status })} value={w.count} /> × {w.status}
              </span>
            ))}
      </dd>
      <dt className="text-zinc-500">Edge purges</dt>
      <dd className="tabular-nums">
        <Value series={label('ntc_edge_purges_total', { kind: 'hard' })} value={counters.purges.hard} /> hard,{' '}
        <Value series={label('ntc_edge_purges_total', { kind: 'soft' })} value={counters.purges.soft} /> soft,{' '}
        {counters.purges.failures} failed attempts
      </dd>
    </dl>
  );
}
